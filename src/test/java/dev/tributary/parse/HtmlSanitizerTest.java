package dev.tributary.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HtmlSanitizerTest {

    static final URI BASE = URI.create("https://outlet.example/news/story");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "javascript:alert(1)          | ",
        "JaVaScRiPt:alert(1)          | ",
        "'ja\tvascript:alert(1)'      | ",
        "' javascript:alert(1)'       | ",
        "'java\nscript:alert(1)'      | ",
        "'java\r\nscript:alert(1)'    | ",
        "'ht\ttps://outlet.example/a' | https://outlet.example/a",
        "'+http://outlet.example/a'   | ",
        "vbscript:msgbox(1)           | ",
        "data:text/html;base64,AAAA   | ",
        "file:///etc/passwd           | ",
        "/img/a.jpg                   | https://outlet.example/img/a.jpg",
        "b.jpg                        | https://outlet.example/news/b.jpg",
        "//cdn.example/c.jpg          | https://cdn.example/c.jpg",
        "HTTP://Example.com/x         | HTTP://Example.com/x",
        "mailto:desk@outlet.example   | ",
    })
    void imageSources(String raw, String expected) {
        assertEquals(expected, HtmlSanitizer.safeUrl(raw, BASE, false));
    }

    @Test
    void mailtoOnlyInLinks() {
        assertEquals("mailto:desk@outlet.example", HtmlSanitizer.safeUrl("mailto:desk@outlet.example", BASE, true));
    }

    @Test
    void dangerousMarkupIsGone() {
        String html = "<p onclick=\"x()\">Hi<script>alert(1)</script></p><a href=\"ja&#9;vascript:alert(1)\">a</a>"
                + "<svg onload=\"alert(1)\"></svg><iframe src=\"javascript://x\"></iframe>"
                + "<div style=\"background:url(javascript:alert(1))\">c</div><img src=\"x\" onerror=\"alert(1)\">"
                + "<a href=\"/ok\">ok</a>";
        String clean = HtmlSanitizer.clean(html, BASE.toString());
        for (String bad : new String[] {"onclick", "script", "javascript", "svg", "iframe", "style", "onerror"}) {
            assertFalse(clean.toLowerCase().contains(bad), bad + " in " + clean);
        }
        assertEquals(true, clean.contains("href=\"https://outlet.example/ok\""), clean);
        assertEquals(true, clean.contains("<img src=\"https://outlet.example/news/x\">"), clean);
    }

    @Test
    void deeplyNestedHtmlDoesNotCrash() {
        String deep = "<div>".repeat(100_000) + "x" + "</div>".repeat(100_000);
        String clean = HtmlSanitizer.clean(deep, BASE.toString());
        assertEquals(true, clean == null || clean.contains("x"));
    }
}
