package dev.tributary.parse;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/** Cleans publisher HTML with an allow-list, resolving relative links, and reduces HTML to plain text. */
public final class HtmlSanitizer {

    private static final Safelist SAFELIST = Safelist.relaxed()
            .addTags("figure", "figcaption", "abbr", "mark", "del", "ins", "s", "small", "sup", "sub", "time", "hr")
            .addAttributes("time", "datetime")
            .addAttributes("abbr", "title")
            .removeProtocols("a", "href", "ftp")
            .addProtocols("img", "src", "http", "https")
            .addEnforcedAttribute("a", "rel", "noopener noreferrer nofollow");

    private HtmlSanitizer() {
    }

    /** Allow-listed HTML with absolute http(s)/mailto links only; null stays null. */
    public static String clean(String html, String baseUri) {
        if (html == null || html.isBlank()) {
            return null;
        }
        Document dirty = Jsoup.parseBodyFragment(XmlChars.strip(html), baseUri == null ? "" : baseUri);
        Document clean = new Cleaner(SAFELIST).clean(dirty);
        clean.outputSettings().prettyPrint(false);
        for (Element img : clean.select("img:not([src])")) {
            img.remove();
        }
        String out = XmlChars.strip(clean.body().html()).trim();
        return out.isEmpty() ? null : out;
    }

    /** The text of a fragment that may hold markup or entities (titles, author names). */
    public static String text(String maybeHtml) {
        if (maybeHtml == null) {
            return null;
        }
        String clean = XmlChars.strip(maybeHtml);
        String t = clean.indexOf('<') >= 0 || clean.indexOf('&') >= 0
                ? Jsoup.parseBodyFragment(clean).text()
                : clean.replaceAll("\\s+", " ");
        t = t.strip();
        return t.isEmpty() ? null : t;
    }
}
