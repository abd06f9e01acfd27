package dev.tributary.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalLinkTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://Example.COM/a/b/                         | example.com/a/b",
        "http://example.com:80/a/b                        | example.com/a/b",
        "https://www.example.com/a/b#comments             | example.com/a/b",
        "https://example.com/a/b?utm_source=x&utm_medium=y | example.com/a/b",
        "https://example.com/a/b?fbclid=1&id=7&gclid=2    | example.com/a/b?id=7",
        "https://example.com/a?z=1&a=2                    | example.com/a?a=2&z=1",
        "https://amp.example.com/a/b/amp/                 | example.com/a/b",
        "https://example.com/a/b?amp=1                    | example.com/a/b",
        "https://example.com:8443/a                       | example.com:8443/a",
        "ftp://example.com/a                              | ",
        "javascript:alert(1)                              | ",
    })
    void canonicalForms(String url, String expected) {
        assertEquals(expected, CanonicalLink.of(url));
    }
}
