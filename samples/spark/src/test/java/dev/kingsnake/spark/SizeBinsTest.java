package dev.kingsnake.spark;

import org.junit.jupiter.api.Test;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Size bins: a huge wheel gets a task of its own and starts first; small archives share balanced tasks. */
class SizeBinsTest {
    private static final long MB = 1L << 20;

    @Test
    void aHugeWheelGetsItsOwnFirstTaskAndTheRestAreBalanced() {
        List<ArchiveRef> refs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            refs.add(new ArchiveRef("small-" + i + ".tar.gz", 40_000 + 1_000L * (i % 50), ""));
            if (i == 150) {
                refs.add(new ArchiveRef("huge-1.0-py3-none-any.whl", 270 * MB, ""));
            }
        }
        long total = refs.stream().mapToLong(ArchiveRef::size).sum();
        long target = SizeBins.targetBytes(total, 8, 128 * MB);
        assertEquals(Math.max(SizeBins.MIN_TARGET_BYTES, total / 32), target);

        List<Tuple2<Long, ArchiveRef>> keyed = new ArrayList<>();
        SizeBins.pack(3, refs.iterator(), target).forEachRemaining(keyed::add);
        assertEquals(refs.size(), keyed.size(), "every archive once");
        Map<Long, Long> bytesByBin = new HashMap<>();
        Map<Long, List<String>> namesByBin = new HashMap<>();
        for (Tuple2<Long, ArchiveRef> k : keyed) {
            assertEquals(3, k._1() >>> 32, "the manifest partition is in the key");
            bytesByBin.merge(k._1(), k._2().size(), Long::sum);
            namesByBin.computeIfAbsent(k._1(), x -> new ArrayList<>()).add(k._2().location());
        }
        List<Tuple2<Long, Long>> bins = new ArrayList<>();
        bytesByBin.forEach((k, v) -> bins.add(new Tuple2<>(k, v)));
        SizeBins.BinPartitioner partitioner = new SizeBins.BinPartitioner(bins);
        assertEquals(bins.size(), partitioner.numPartitions());

        long hugeBin = -1;
        for (Map.Entry<Long, List<String>> bin : namesByBin.entrySet()) {
            if (bin.getValue().contains("huge-1.0-py3-none-any.whl")) {
                hugeBin = bin.getKey();
                assertEquals(1, bin.getValue().size(), "the huge wheel is alone in its bin");
            } else {
                assertTrue(bytesByBin.get(bin.getKey()) <= target, "small bins stay under the target");
            }
        }
        assertEquals(0, partitioner.getPartition(hugeBin), "the biggest bin is the first task");
        long smallBytes = total - 270 * MB;
        assertTrue(bins.size() - 1 >= smallBytes / target, "the small archives are spread: " + bins.size());
        Iterator<Integer> order = partitioner.partitions().values().stream().sorted().iterator();
        for (int i = 0; i < bins.size(); i++) {
            assertEquals(i, order.next(), "partitions are numbered densely");
        }
    }

    @Test
    void targetIsBoundedBelowAndAbove() {
        assertEquals(SizeBins.MIN_TARGET_BYTES, SizeBins.targetBytes(10_000, 2, 128 * MB));
        assertEquals(128 * MB, SizeBins.targetBytes(14_000_000L * MB, 2, 128 * MB));
        assertEquals(SizeBins.MIN_TARGET_BYTES, SizeBins.targetBytes(0, 0, 128 * MB));
    }
}
