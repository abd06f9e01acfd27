package dev.tributary.parse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in hex, the one hash used for keys and change detection. */
public final class Hashes {
    private Hashes() {
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
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

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
