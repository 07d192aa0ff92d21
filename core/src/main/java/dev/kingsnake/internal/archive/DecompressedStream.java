package dev.kingsnake.internal.archive;

import java.io.IOException;
import java.io.InputStream;

/**
 * The output of a decompressor, metered: every byte it produces counts against the package's total
 * ({@code maxTotalBytes}, including data skipped between entries), the deadline is checked on each read, and
 * the stream as a whole stops once its ratio to the compressed bytes consumed passes
 * {@code maxCompressionRatio}.
 */
final class DecompressedStream extends InputStream {
    private final InputStream in;
    private final CountingInputStream compressed;
    private final Unpacking session;
    private final String where;
    private long produced;
    private LimitReached tripped;

    DecompressedStream(InputStream in, CountingInputStream compressed, Unpacking session, String where) {
        this.in = in;
        this.compressed = compressed;
        this.session = session;
        this.where = where;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (tripped != null) {
            throw tripped;
        }
        if (len == 0) {
            return 0;
        }
        session.checkDeadline(where);
        long allowance = session.allowance();
        if (allowance <= 0) {
            int probe = in.read();
            if (probe < 0) {
                return -1;
            }
            throw trip(session.stopForTotal(where));
        }
        int n = in.read(b, off, (int) Math.min(len, allowance));
        if (n > 0) {
            produced += n;
            session.consume(n);
            if (produced > Unpacking.RATIO_FLOOR
                    && produced > (double) session.limits().maxCompressionRatio() * Math.max(1, compressed.count())) {
                throw trip(session.stopForStreamRatio(where, produced, compressed.count()));
            }
        }
        return n;
    }

    private LimitReached trip(LimitReached e) {
        tripped = e;
        return e;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
