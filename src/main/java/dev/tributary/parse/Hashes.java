package dev.tributary.parse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 in hex, the one hash used for stored keys and change detection; and the 64-bit mix that the in-memory
 * hashes (fingerprints, the probe filter) are built from.
 */
public final class Hashes {
    private Hashes() {
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** The raw SHA-256 of a text's UTF-8 bytes (story keys are stored as part of it). */
    public static byte[] sha256Digest(String text) {
        return digest().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The hash of the parts joined by NUL (null parts as empty), without joining them into one string first. */
    public static String sha256(String... parts) {
        MessageDigest md = digest();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                md.update((byte) 0);
            }
            if (parts[i] != null) {
                md.update(parts[i].getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * The finaliser of SplitMix64 (Steele, Lea and Flood): spreads every input bit over the whole result. The
     * near-duplicate index keys are made of it, so it must not change (TextFingerprintTest pins them).
     */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
