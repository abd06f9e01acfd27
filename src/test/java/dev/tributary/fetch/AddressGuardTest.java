package dev.tributary.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {

    private final AddressGuard guard = new AddressGuard(true, List.of());

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "2130706433", "::ffff:127.0.0.1", "64:ff9b::7f00:1", "::1",
        "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::",
        "fe80::1", "fc00::1", "fd12:3456::1", "224.0.0.1", "ff02::1", "2002:7f00:1::", "2001:0:4136:e378:8000:63bf:80ff:fffe",
        "255.255.255.255", "::127.0.0.1"})
    void refusesNonPublicAddressesInEverySpelling(String literal) throws Exception {
        assertNotNull(guard.refusal(InetAddress.getByName(literal)), literal + " must be refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "64:ff9b::5db8:d822", "172.32.0.1"})
    void allowsPublicAddresses(String literal) throws Exception {
        assertNull(guard.refusal(InetAddress.getByName(literal)), literal + " must be allowed");
    }

    @Test
    void allowListOpensExceptions() throws Exception {
        AddressGuard open = new AddressGuard(true, List.of(Cidr.parse("127.0.0.0/8")));
        assertNull(open.refusal(InetAddress.getByName("127.0.0.1")));
        assertNotNull(open.refusal(InetAddress.getByName("10.0.0.1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://2130706433/feed", "http://0177.0.0.1/feed", "http://0x7f.0.0.1/feed", "http://127.1/feed",
        "file:///etc/passwd", "jar:file:/x.jar!/a", "ftp://example.com/feed", "gopher://example.com/", "data:text/xml,<rss/>",
        "http://user:pw@example.com/feed", "not a url", "/relative/feed"})
    void refusesUrlsThatAreNotPlainHttp(String url) {
        FetchException e = assertThrows(FetchException.class, () -> FeedFetcher.parseHttpUrl(url));
        assertEquals(FetchFailure.BAD_URL, e.failure());
    }

    @Test
    void acceptsOrdinaryUrls() throws Exception {
        assertEquals("feeds.example.com", FeedFetcher.parseHttpUrl("https://feeds.example.com/rss").getHost());
        assertEquals("93.184.216.34", FeedFetcher.parseHttpUrl("http://93.184.216.34/rss").getHost());
        assertEquals("cafe.example", FeedFetcher.parseHttpUrl("http://cafe.example/rss").getHost());
    }

    @Test
    void malformedCidrIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com/8"));
        assertEquals(8, Cidr.parse("10.0.0.0/8").prefix());
    }
}
