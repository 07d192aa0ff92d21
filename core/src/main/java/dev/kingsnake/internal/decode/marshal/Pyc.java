package dev.kingsnake.internal.decode.marshal;

import dev.kingsnake.internal.decode.DecodeException;

/** A {@code .pyc} file: magic number (which gives the Python version), header, then one marshalled code object. */
public final class Pyc {
    private Pyc() {
    }

    /** The version a {@code .pyc} magic number belongs to, as {@code major * 100 + minor} (311 for 3.11). */
    public static int version(byte[] pyc) throws DecodeException {
        if (pyc.length < 4 || pyc[2] != '\r' || pyc[3] != '\n') {
            throw DecodeException.invalid("not a .pyc file (no magic number)");
        }
        int magic = (pyc[0] & 0xff) | (pyc[1] & 0xff) << 8;
        if (magic == 62211) {
            return 207;
        }
        // CPython's magic ranges per minor version (Lib/importlib/_bootstrap_external.py).
        int[][] ranges = {
                {3000, 3131, 300}, {3140, 3151, 301}, {3160, 3180, 302}, {3190, 3230, 303}, {3250, 3310, 304},
                {3320, 3351, 305}, {3360, 3379, 306}, {3390, 3399, 307}, {3400, 3419, 308}, {3420, 3429, 309},
                {3430, 3449, 310}, {3450, 3499, 311}, {3500, 3549, 312}, {3550, 3599, 313}};
        for (int[] r : ranges) {
            if (magic >= r[0] && magic <= r[1]) {
                return r[2];
            }
        }
        throw DecodeException.invalid("unsupported .pyc magic number " + magic);
    }

    /** The marshal layout used by a version from {@link #version}. */
    public static MarshalFormat format(int version) {
        if (version < 300) {
            return MarshalFormat.PY27;
        }
        if (version < 308) {
            return MarshalFormat.PY30_37;
        }
        return version < 311 ? MarshalFormat.PY38_310 : MarshalFormat.PY311_313;
    }

    /** Header bytes before the marshal data: 8 up to 3.2, 12 for 3.3-3.6, 16 from 3.7 (PEP 552). */
    public static int headerLength(int version) {
        if (version < 303) {
            return 8;
        }
        return version < 307 ? 12 : 16;
    }

    /** Reads the code object of a {@code .pyc} file. */
    public static MarshalReader.Read read(byte[] pyc) throws DecodeException {
        int version = version(pyc);
        int header = headerLength(version);
        if (pyc.length <= header) {
            throw DecodeException.invalid("truncated .pyc header");
        }
        MarshalFormat f = format(version);
        return new MarshalReader.Read(MarshalReader.read(pyc, header, f), f);
    }
}
