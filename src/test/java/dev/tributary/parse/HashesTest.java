package dev.tributary.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Stored entry keys and content hashes depend on these values: they must not change between versions. */
class HashesTest {

    @Test
    void sha256OfBytesIsTheStandardDigest() {
        // FIPS 180-2's example for "abc".
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Hashes.sha256("abc".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void partsHashAsTheirNulJoinedUtf8WithNullsEmpty() {
        assertEquals(Hashes.sha256("Tïtle\u0000\u0000body ✓".getBytes(StandardCharsets.UTF_8)),
                Hashes.sha256("Tïtle", null, "body ✓"));
        assertEquals(Hashes.sha256("abc".getBytes(StandardCharsets.UTF_8)), Hashes.sha256("abc"));
        assertNotEquals(Hashes.sha256("ab", "c"), Hashes.sha256("a", "bc"));
    }
}
