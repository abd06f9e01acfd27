package dev.tributary.parse;

/** Removes what XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF). */
public final class XmlChars {
    private XmlChars() {
    }

    public static String strip(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        int first = 0;
        while (first < n) { // the usual case: nothing to remove, and no copy
            char c = s.charAt(first);
            if (c < 0x20 ? c != 0x9 && c != 0xA && c != 0xD : c >= 0xD800) {
                break; // forbidden, or a surrogate or U+E000..U+FFFF, which the careful loop below sorts out
            }
            first++;
        }
        if (first == n) {
            return s;
        }
        StringBuilder sb = null;
        for (int i = first; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (sb != null) {
                    sb.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xFFFD && !Character.isSurrogate(c));
            if (!ok) {
                if (sb == null) {
                    sb = new StringBuilder(n).append(s, 0, i);
                }
                continue;
            }
            if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
