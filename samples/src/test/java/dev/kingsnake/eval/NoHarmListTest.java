package dev.kingsnake.eval;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoHarmListTest {

    @Test
    void shippedListResolvesItsPathsAgainstTheMaliciousDirectory() {
        Path corpus = Path.of("/corpus/malicious-dev");
        NoHarmList list = NoHarmList.shipped(corpus);

        assertEquals(88, list.size());
        assertTrue(list.contains(corpus.resolve("advpruebitaa8/1.0.0/advpruebitaa8-1.0.0.tar.gz")));
        assertFalse(list.contains(Path.of("/elsewhere/advpruebitaa8/1.0.0/advpruebitaa8-1.0.0.tar.gz")));
        assertFalse(NoHarmList.none().contains(corpus.resolve("advpruebitaa8/1.0.0/advpruebitaa8-1.0.0.tar.gz")));
    }
}
