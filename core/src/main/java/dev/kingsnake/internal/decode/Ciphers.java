package dev.kingsnake.internal.decode;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/** Decryption of payloads whose key sits next to them: Fernet and pycryptodome-style AES. */
public final class Ciphers {
    private static final int BLOCK = 16;

    /** pycryptodome's mode constants ({@code AES.MODE_ECB} ...). */
    public enum AesMode {
        ECB(1), CBC(2), CFB(3), OFB(5), CTR(6), GCM(11);

        private final int code;

        AesMode(int code) {
            this.code = code;
        }

        /** The constant's value in pycryptodome. */
        public int code() {
            return code;
        }

        public static java.util.Optional<AesMode> of(int code) {
            return Arrays.stream(values()).filter(m -> m.code == code).findFirst();
        }
    }

    private Ciphers() {
    }

    /**
     * {@code Fernet(key).decrypt(token)}: key and token are urlsafe base64; the token is
     * {@code 0x80 | timestamp(8) | iv(16) | AES-128-CBC ciphertext | HMAC-SHA256(32)} and the HMAC is checked
     * (a wrong key is a failure, not garbage). Timestamps are ignored (no TTL).
     */
    public static byte[] fernet(byte[] key, byte[] token, OutputBound bound) throws DecodeException {
        byte[] k = BaseN.b64Urlsafe(key, bound);
        if (k.length != 32) {
            throw DecodeException.invalid("Fernet key is not 32 bytes");
        }
        byte[] t = BaseN.b64Urlsafe(token, bound);
        if (t.length < 1 + 8 + BLOCK + BLOCK + 32 || (t[0] & 0xff) != 0x80) {
            throw DecodeException.invalid("not a Fernet token");
        }
        int macAt = t.length - 32;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, 0, 16, "HmacSHA256"));
            mac.update(t, 0, macAt);
            if (!MessageDigest.isEqual(mac.doFinal(), Arrays.copyOfRange(t, macAt, t.length))) {
                throw DecodeException.invalid("Fernet HMAC does not match the key");
            }
            Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, 16, 16, "AES"), new IvParameterSpec(t, 9, BLOCK));
            bound.claim(macAt - 25L);
            return c.doFinal(t, 25, macAt - 25);
        } catch (GeneralSecurityException e) {
            throw DecodeException.invalid("Fernet decryption failed: " + e.getMessage());
        }
    }

    /**
     * {@code AES.new(key, mode, iv/nonce).decrypt(data)} as pycryptodome does it: no unpadding (the
     * caller's {@code unpad} does that), CTR counter = nonce followed by a big-endian block counter from 0,
     * GCM decryption without tag check, CFB with pycryptodome's default 8-bit segments.
     */
    public static byte[] aes(byte[] key, AesMode mode, byte[] iv, byte[] data, OutputBound bound)
            throws DecodeException {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw DecodeException.invalid("AES key of " + key.length + " bytes");
        }
        bound.claim(data.length);
        try {
            SecretKeySpec k = new SecretKeySpec(key, "AES");
            Cipher c;
            switch (mode) {
                case ECB -> {
                    c = Cipher.getInstance("AES/ECB/NoPadding");
                    c.init(Cipher.DECRYPT_MODE, k);
                    requireBlocks(data);
                }
                case CBC -> {
                    c = Cipher.getInstance("AES/CBC/NoPadding");
                    c.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(block(iv)));
                    requireBlocks(data);
                }
                case CFB -> {
                    c = Cipher.getInstance("AES/CFB8/NoPadding");
                    c.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(block(iv)));
                }
                case OFB -> {
                    c = Cipher.getInstance("AES/OFB/NoPadding");
                    c.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(block(iv)));
                }
                case CTR -> {
                    c = Cipher.getInstance("AES/CTR/NoPadding");
                    c.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(counterBlock(iv, 0)));
                }
                case GCM -> {
                    if (iv.length != 12) {
                        throw DecodeException.invalid("GCM nonce other than 12 bytes");
                    }
                    // Without the tag, GCM decryption is CTR starting at counter 2 (counter 1 masks the tag).
                    c = Cipher.getInstance("AES/CTR/NoPadding");
                    c.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(counterBlock(iv, 2)));
                }
                default -> throw DecodeException.invalid("unsupported AES mode " + mode);
            }
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw DecodeException.invalid("AES decryption failed: " + e.getMessage());
        }
    }

    /** {@code Crypto.Util.Padding.unpad(data, 16)} (PKCS#7). */
    public static byte[] unpad(byte[] data, int blockSize) throws DecodeException {
        if (data.length == 0 || data.length % blockSize != 0) {
            throw DecodeException.invalid("padded data is not a whole number of blocks");
        }
        int pad = data[data.length - 1] & 0xff;
        if (pad < 1 || pad > blockSize) {
            throw DecodeException.invalid("bad padding");
        }
        for (int i = data.length - pad; i < data.length; i++) {
            if ((data[i] & 0xff) != pad) {
                throw DecodeException.invalid("bad padding");
            }
        }
        return Arrays.copyOf(data, data.length - pad);
    }

    private static void requireBlocks(byte[] data) throws DecodeException {
        if (data.length % BLOCK != 0) {
            throw DecodeException.invalid("ciphertext is not a whole number of blocks");
        }
    }

    private static byte[] block(byte[] iv) throws DecodeException {
        if (iv.length != BLOCK) {
            throw DecodeException.invalid("IV of " + iv.length + " bytes");
        }
        return iv;
    }

    private static byte[] counterBlock(byte[] nonce, long start) throws DecodeException {
        if (nonce.length >= BLOCK) {
            throw DecodeException.invalid("CTR nonce too long");
        }
        byte[] b = Arrays.copyOf(nonce, BLOCK);
        for (int i = BLOCK - 1; i >= nonce.length && start != 0; i--) {
            b[i] = (byte) start;
            start >>>= 8;
        }
        return b;
    }
}
