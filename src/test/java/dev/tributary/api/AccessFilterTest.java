package dev.tributary.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Without a token, writes are accepted from loopback peers only. The tests' HTTP client can only ever connect over
 * loopback here (no other address may be used on these machines), so the peer rule is checked as a table.
 */
class AccessFilterTest {

    @ParameterizedTest
    @CsvSource({"127.0.0.1,true", "127.1.2.3,true", "::1,true", "0:0:0:0:0:0:0:1,true", "10.0.0.5,false",
        "192.168.1.20,false", "93.184.216.34,false", "::ffff:10.0.0.5,false", "fe80::1,false", "localhost,false",
        "evil.example,false"})
    void onlyLoopbackPeersMayWriteWithoutAToken(String host, boolean loopback) {
        assertEquals(loopback, AccessFilter.isLoopbackAddress(host));
    }
}
