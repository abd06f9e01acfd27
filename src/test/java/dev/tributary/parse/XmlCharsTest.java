package dev.tributary.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What XML 1.0 cannot carry goes; everything else stays, untouched and uncopied. */
class XmlCharsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "control characters go           | a\\u0001b\\u001Fc\\u0000    | abc",
            "tab, newline and return stay    | a\\tb\\nc\\rd               | a\\tb\\nc\\rd",
            "a control character at the end  | text\\u0008                 | text",
            "U+FFFE and U+FFFF go            | x\\uFFFEy\\uFFFFz           | xyz",
            "private use and U+FFFD stay     | \\uE000\\uFFFD\\uF8FF       | \\uE000\\uFFFD\\uF8FF",
            "a surrogate pair stays          | emoji \\uD83D\\uDE00 here   | emoji \\uD83D\\uDE00 here",
            "a lone high surrogate goes      | a\\uD83Db                   | ab",
            "a lone low surrogate goes       | a\\uDE00b                   | ab",
            "a pair after a bad one stays    | \\u0002\\uD83D\\uDE00       | \\uD83D\\uDE00",
            "C1 controls are allowed in 1.0  | a\\u0085b\\u009Fc           | a\\u0085b\\u009Fc",
    })
    void strips(String what, String in, String out) {
        assertEquals(unescape(out.strip()), XmlChars.strip(unescape(in.strip())));
    }

    @Test
    void cleanTextIsReturnedAsIs() {
        String clean = "Plain text, accents é and CJK 漢字, a pair \uD83D\uDE00.";
        assertSame(clean, XmlChars.strip(clean));
        assertEquals(null, XmlChars.strip(null));
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && s.charAt(i + 1) == 'u') {
                sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else if (c == '\\') {
                char e = s.charAt(++i);
                sb.append(e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
