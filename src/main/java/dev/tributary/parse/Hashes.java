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
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(String... parts) {
        return sha256(String.join("\u0000", java.util.Arrays.stream(parts).map(p -> p == null ? "" : p).toList())
                .getBytes(StandardCharsets.UTF_8));
    }
}
