package dev.kingsnake.spark;

import org.apache.spark.Partitioner;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Spreads archives over tasks by size, so that one huge wheel does not hold a task (and the stage) while
 * thousands of small sdists queue behind it: archives are packed into bins of about {@code target} bytes,
 * an archive of at least {@code target} bytes gets a bin of its own, and the bins become partitions in
 * descending order of bytes, so the biggest start first and the small ones fill the gaps (longest
 * processing time first). Packing happens inside each manifest partition, so the driver only ever sees one
 * (key, bytes) pair per bin, never the manifest.
 */
final class SizeBins {
    /** Tasks per core the bins aim for: enough that a slow bin is balanced by the others. */
    static final int BINS_PER_SLOT = 4;
    /**
     * Smallest bin worth a task of its own: a task costs Spark milliseconds, scanning 64 KiB of archives
     * takes the scanner tens of them.
     */
    static final long MIN_TARGET_BYTES = 64L << 10;

    private SizeBins() {
    }

    /** Bytes per bin for a manifest of {@code totalBytes} on {@code slots} cores, at most {@code maxTarget}. */
    static long targetBytes(long totalBytes, int slots, long maxTarget) {
        long even = totalBytes / ((long) Math.max(1, slots) * BINS_PER_SLOT);
        return Math.max(MIN_TARGET_BYTES, Math.min(maxTarget, even));
    }

    /**
     * Packs one manifest partition: each archive is keyed by its bin, {@code partition} in the high 32 bits
     * and the bin's number inside the partition in the low ones.
     */
    static Iterator<Tuple2<Long, ArchiveRef>> pack(int partition, Iterator<ArchiveRef> refs, long target) {
        List<Tuple2<Long, ArchiveRef>> out = new ArrayList<>();
        long base = (long) partition << 32;
        int next = 0;
        int open = -1;
        long openBytes = 0;
        while (refs.hasNext()) {
            ArchiveRef ref = refs.next();
            long bytes = Math.max(0, ref.size());
            if (bytes >= target) {
                out.add(new Tuple2<>(base | next++, ref));
                continue;
            }
            if (open < 0 || openBytes + bytes > target) {
                open = next++;
                openBytes = 0;
            }
            openBytes += bytes;
            out.add(new Tuple2<>(base | open, ref));
        }
        return out.iterator();
    }

    /** Partitions bins one to one, the bin with the most bytes first. */
    static final class BinPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;

        private final HashMap<Long, Integer> partitionOfBin;

        /** @param bytesByBin every bin key with its total bytes */
        BinPartitioner(List<Tuple2<Long, Long>> bytesByBin) {
            List<Tuple2<Long, Long>> sorted = new ArrayList<>(bytesByBin);
            sorted.sort(Comparator.comparing((Tuple2<Long, Long> b) -> b._2()).reversed()
                    .thenComparing(Tuple2::_1));
            partitionOfBin = new HashMap<>();
            for (Tuple2<Long, Long> bin : sorted) {
                partitionOfBin.put(bin._1(), partitionOfBin.size());
            }
        }

        @Override
        public int numPartitions() {
            return Math.max(1, partitionOfBin.size());
        }

        @Override
        public int getPartition(Object binKey) {
            Integer p = partitionOfBin.get((Long) binKey);
            if (p == null) {
                throw new IllegalArgumentException("bin " + binKey + " was not counted");
            }
            return p;
        }

        /** Partition numbers by bin key (the tests check the order). */
        Map<Long, Integer> partitions() {
            return Map.copyOf(partitionOfBin);
        }
    }
}
