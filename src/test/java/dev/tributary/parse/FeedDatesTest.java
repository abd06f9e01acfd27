package dev.tributary.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeedDatesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Fri, 07 Feb 2020 15:00:00 GMT          | 2020-02-07T15:00:00Z",
        "Fri, 7 Feb 2020 15:00:00 +0100         | 2020-02-07T14:00:00Z",
        "07 Feb 2020 15:00 EST                  | 2020-02-07T20:00:00Z",
        "Friday, 07 February 2020 15:00:00 PDT  | 2020-02-07T22:00:00Z",
        "Fri, 07 Feb 20 15:00:00 GMT            | 2020-02-07T15:00:00Z",
        "Fri, 07 Feb 2020 15:00:00 -05:30       | 2020-02-07T20:30:00Z",
        "2020-02-07T15:00:00Z                   | 2020-02-07T15:00:00Z",
        "2020-02-07T15:00:00.123456+02:00       | 2020-02-07T13:00:00.123456Z",
        "2020-02-07T15:00+02:00                 | 2020-02-07T13:00:00Z",
        "2020-02-07 15:00:00                    | 2020-02-07T15:00:00Z",
        "2020-02-07                             | 2020-02-07T00:00:00Z",
        "9999-12-31T23:59:59Z                   | 9999-12-31T23:59:59Z",
        "1900-01-01T00:00:00Z                   | 1900-01-01T00:00:00Z",
    })
    void readsTheUsualShapes(String text, String expected) {
        assertEquals(Instant.parse(expected), FeedDates.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"yesterday", "31/31/2020", "Fri, 32 Feb 2020 15:00:00 GMT", "''"})
    void unreadableDatesAreNull(String text) {
        assertEquals(null, FeedDates.parse(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a &amp; b                    | a &amp; b",
        "a & b                        | a &amp; b",
        "a&nbsp;b                     | a&#160;b",
        "&eacute;t&eacute;            | &#233;t&#233;",
        "bad &#1; ok &#65;            | bad  ok &#65;",
        "&unknownthing;               | &amp;unknownthing;",
        "<![CDATA[a & b &nbsp;]]> &   | <![CDATA[a & b &nbsp;]]> &amp;",
    })
    void ampersandsBecomeWellFormed(String in, String out) {
        assertEquals(out, FeedParser.fixAmpersands(in));
    }
}
