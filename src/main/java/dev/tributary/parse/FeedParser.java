package dev.tributary.parse;

import com.rometools.rome.feed.WireFeed;
import com.rometools.rome.feed.module.SyModule;
import com.rometools.rome.feed.rss.Channel;
import com.rometools.rome.feed.synd.SyndCategory;
import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEnclosure;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndLink;
import com.rometools.rome.feed.synd.SyndPerson;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedInput;
import com.rometools.rome.io.XmlReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdom2.Element;

/**
 * Turns a fetched body into a {@link ParsedFeed}: RSS 0.9x/1.0/2.0 and Atom through Rome, JSON Feed through
 * {@link JsonFeedReader}. Every format quirk stays in this package; what leaves it is normalised.
 */
public final class FeedParser {

    /** Longest title, author and link kept; longer titles are cut, longer links dropped. */
    static final int MAX_TITLE = 1000;
    static final int MAX_AUTHOR = 500;
    static final int MAX_LINK = 2048;
    static final int MAX_HTML = 500_000;
    static final int MAX_KEY = 250;

    /** Character and entity references, checked once per '&' of a document (compiled once). */
    private static final Pattern CHAR_REF = Pattern.compile("#(x[0-9a-fA-F]{1,8}|[0-9]{1,10})");
    private static final Pattern ENTITY_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
    private static final Pattern SIMPLE_DOCTYPE = Pattern.compile("<!DOCTYPE[^\\[>]*>", Pattern.CASE_INSENSITIVE);
    private static final java.util.Set<String> XML_ENTITIES = java.util.Set.of("amp", "lt", "gt", "quot", "apos");

    private final int maxEntries;

    public FeedParser(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /**
     * Parses a body.
     *
     * @param body        bytes as received (decompressed)
     * @param contentType Content-Type header, may be null
     * @param feedUrl     URL the body came from, the base for relative links
     * @param fetchedAt   when it was fetched: the ceiling for dates and the fallback publication time
     */
    public ParsedFeed parse(byte[] body, String contentType, String feedUrl, Instant fetchedAt) throws FeedParseException {
        if (body == null || body.length == 0) {
            throw new FeedParseException("not a feed: the response body is empty");
        }
        int first = firstSignificantByte(body);
        if (first < 0) {
            throw new FeedParseException("not a feed: the response body is blank");
        }
        EntryDraftList drafts;
        ParsedFeedHeader header;
        if (body[first] == '{') {
            JsonFeedReader.Result json = JsonFeedReader.read(body, first);
            drafts = json.drafts();
            header = json.header();
        } else {
            XmlFeed xml = parseXml(body, contentType);
            header = header(xml.feed());
            drafts = drafts(xml.feed(), xml.dates());
        }
        String base = header.siteUrl() != null ? header.siteUrl() : feedUrl;
        List<ParsedEntry> entries = finish(drafts, feedUrl, base, fetchedAt);
        return new ParsedFeed(header.title(), absolute(header.siteUrl(), feedUrl), header.publishHint(),
                absolute(header.hubUrl(), feedUrl), absolute(header.selfUrl(), feedUrl), header.skip(), entries);
    }

    private static int firstSignificantByte(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            int b = body[i] & 0xff;
            if (b == '<' || b == '{') {
                return i;
            }
        }
        return -1;
    }

    // ---- XML through Rome -------------------------------------------------------------------------------------

    /**
     * The Rome step alone, as Tributary drives it (decoding, repair, locked-down JDOM build, Rome, own date parsing):
     * the figure the benchmarks compare with Rome's default {@code SyndFeedInput} path. Returns the entry count.
     */
    public static int romeStep(byte[] body, String contentType) throws FeedParseException {
        XmlFeed xml = new FeedParser(Integer.MAX_VALUE).parseXml(body, contentType);
        int n = 0;
        for (XmlDocuments.EntryDates d : xml.dates()) {
            if (FeedDates.parse(d.published()) != null || FeedDates.parse(d.updated()) != null) {
                n++;
            }
        }
        return Math.max(n, xml.feed().getEntries().size());
    }

    /** A Rome feed and the dates of its entries, in the same order, as the document wrote them. */
    private record XmlFeed(SyndFeed feed, List<XmlDocuments.EntryDates> dates) {
    }

    private XmlFeed parseXml(byte[] body, String contentType) throws FeedParseException {
        String text = byteOrderMark(body);
        if (text == null) {
            // A Content-Type without a charset says nothing about the encoding (RFC 3023's US-ASCII default for text/xml
            // mangles every real feed): then the prolog decides.
            String declared = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("charset=") ? contentType : null;
            try (Reader reader = new XmlReader(new ByteArrayInputStream(body), declared, true)) {
                text = readAll(reader, body.length);
            } catch (IOException e) {
                throw new FeedParseException("invalid feed: cannot decode the body (" + e.getMessage() + ")", e);
            }
        }
        text = repairXmlText(text);
        if (!text.startsWith("<")) {
            throw new FeedParseException("not a feed: the body is not XML");
        }
        org.jdom2.Document doc;
        try {
            doc = XmlDocuments.build(text);
        } catch (org.jdom2.JDOMException | IOException e) {
            throw new FeedParseException("invalid feed: " + shortMessage(e), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new FeedParseException("invalid feed: " + e.getClass().getSimpleName(), e);
        }
        List<XmlDocuments.EntryDates> dates = XmlDocuments.takeEntryDates(doc);
        SyndFeedInput input = new SyndFeedInput(false, Locale.ROOT);
        input.setPreserveWireFeed(true);
        try {
            return new XmlFeed(buildLeniently(input, doc), dates);
        } catch (FeedException e) {
            throw new FeedParseException("invalid feed: " + shortMessage(e), e);
        } catch (IllegalArgumentException e) {
            throw new FeedParseException("not a feed: " + shortMessage(e), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new FeedParseException("invalid feed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * The body decoded by its byte-order mark, or null when it has none. A BOM is the strongest evidence there is,
     * and Rome's reader gets UTF-16LE wrong when the prolog then says plain "UTF-16" (it decodes big-endian).
     */
    static String byteOrderMark(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
            return new String(b, 3, b.length - 3, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE) {
            return new String(b, 2, b.length - 2, java.nio.charset.StandardCharsets.UTF_16LE);
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF) {
            return new String(b, 2, b.length - 2, java.nio.charset.StandardCharsets.UTF_16BE);
        }
        return null;
    }

    /** Rome's build, reading {@code <rss version="2.2">} and other unknown RSS versions as RSS 2.0. */
    private static SyndFeed buildLeniently(SyndFeedInput input, org.jdom2.Document doc) throws FeedException {
        try {
            return input.build(doc);
        } catch (IllegalArgumentException e) {
            Element root = doc.getRootElement();
            if (root.getName().equals("rss") && !"2.0".equals(root.getAttributeValue("version"))) {
                root.setAttribute("version", "2.0");
                return input.build(doc);
            }
            throw e;
        }
    }

    private static String shortMessage(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !m.contains(cause.getMessage())) {
            m = m + ": " + cause.getMessage();
        }
        return m.length() > 300 ? m.substring(0, 300) : m;
    }

    /** The decoded text; {@code bytes}, the encoded length, bounds its length in chars in every encoding. */
    private static String readAll(Reader reader, int bytes) throws IOException {
        StringBuilder sb = new StringBuilder(Math.max(16, bytes));
        char[] buf = new char[8192];
        for (int n; (n = reader.read(buf)) != -1; ) {
            sb.append(buf, 0, n);
        }
        return sb.toString();
    }

    /**
     * Makes decoded text acceptable to an XML 1.0 parser without changing what it says: drops anything before the
     * first tag, characters and character references XML 1.0 forbids, and a DOCTYPE that only points at an external
     * DTD (never fetched; Rome's healer supplies the HTML entities such DTDs define).
     */
    static String repairXmlText(String text) {
        int start = text.indexOf('<');
        String s = XmlChars.strip(start > 0 ? text.substring(start) : text);
        if (s.indexOf('&') >= 0) {
            s = fixAmpersands(s);
        }
        Matcher doctype = SIMPLE_DOCTYPE.matcher(s);
        if (doctype.find() && doctype.start() < 512) {
            s = s.substring(0, doctype.start()) + s.substring(doctype.end());
        }
        return s;
    }

    /**
     * Makes every {@code &} in the text well-formed XML: predefined and legal numeric references stay, HTML named
     * entities ({@code &nbsp;}, {@code &eacute;}) become numeric references, illegal references go, and a bare
     * {@code &} becomes {@code &amp;}. One pass; CDATA sections are left alone.
     */
    static String fixAmpersands(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 64);
        int i = 0;
        int n = s.length();
        while (i < n) {
            int amp = s.indexOf('&', i);
            int cdata = s.indexOf("<![CDATA[", i);
            if (cdata >= 0 && (amp < 0 || cdata < amp)) {
                int end = s.indexOf("]]>", cdata);
                end = end < 0 ? n : end + 3;
                sb.append(s, i, end);
                i = end;
                continue;
            }
            if (amp < 0) {
                sb.append(s, i, n);
                break;
            }
            sb.append(s, i, amp);
            int semi = s.indexOf(';', amp);
            String ref = semi > amp && semi - amp <= 33 ? s.substring(amp + 1, semi) : null;
            if (ref != null && CHAR_REF.matcher(ref).matches()) {
                if (legalCharRef(ref.substring(1))) {
                    sb.append(s, amp, semi + 1);
                }
                i = semi + 1;
            } else if (ref != null && ENTITY_NAME.matcher(ref).matches()) {
                if (XML_ENTITIES.contains(ref)) {
                    sb.append(s, amp, semi + 1);
                } else {
                    String chars = org.jsoup.nodes.Entities.getByName(ref);
                    if (chars.isEmpty()) {
                        sb.append("&amp;").append(ref).append(';');
                    } else {
                        chars.codePoints().forEach(cp -> sb.append("&#").append(cp).append(';'));
                    }
                }
                i = semi + 1;
            } else {
                sb.append("&amp;");
                i = amp + 1;
            }
        }
        return sb.toString();
    }

    private static boolean legalCharRef(String ref) {
        long v;
        try {
            v = ref.startsWith("x") ? Long.parseLong(ref.substring(1), 16) : Long.parseLong(ref);
        } catch (NumberFormatException e) {
            return false;
        }
        return v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD)
                || (v >= 0x10000 && v <= 0x10FFFF);
    }

    private static ParsedFeedHeader header(SyndFeed feed) {
        String site = feed.getLinks() == null ? null : feed.getLinks().stream()
                .filter(l -> l.getHref() != null && (l.getRel() == null || "alternate".equals(l.getRel())))
                .map(SyndLink::getHref).findFirst().orElse(null);
        if (site == null && !(feed.originalWireFeed() instanceof com.rometools.rome.feed.atom.Feed)) {
            site = feed.getLink();
        }
        Duration hint = null;
        WireFeed wire = feed.originalWireFeed();
        if (wire instanceof Channel channel && channel.getTtl() > 0) {
            hint = Duration.ofMinutes(channel.getTtl());
        }
        if (feed.getModule(SyModule.URI) instanceof SyModule sy && sy.getUpdatePeriod() != null) {
            Duration period = switch (sy.getUpdatePeriod()) {
                case SyModule.HOURLY -> Duration.ofHours(1);
                case SyModule.DAILY -> Duration.ofDays(1);
                case SyModule.WEEKLY -> Duration.ofDays(7);
                case SyModule.MONTHLY -> Duration.ofDays(30);
                case SyModule.YEARLY -> Duration.ofDays(365);
                default -> null;
            };
            if (period != null) {
                Duration sy2 = period.dividedBy(Math.max(1, sy.getUpdateFrequency()));
                hint = hint == null || sy2.compareTo(hint) > 0 ? sy2 : hint;
            }
        }
        return new ParsedFeedHeader(HtmlSanitizer.text(feed.getTitle()), site, hint, feedLink(feed, "hub"),
                feedLink(feed, "self"), wire instanceof Channel c ? skipTimes(c) : ParsedFeed.SkipTimes.NONE);
    }

    private static ParsedFeed.SkipTimes skipTimes(Channel c) {
        java.util.Set<Integer> hours = new java.util.HashSet<>();
        for (Integer h : c.getSkipHours() == null ? List.<Integer>of() : c.getSkipHours()) {
            if (h != null && h >= 0 && h <= 24) {
                hours.add(h % 24);
            }
        }
        java.util.Set<java.time.DayOfWeek> days = java.util.EnumSet.noneOf(java.time.DayOfWeek.class);
        for (String d : c.getSkipDays() == null ? List.<String>of() : c.getSkipDays()) {
            try {
                days.add(java.time.DayOfWeek.valueOf(d.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException | NullPointerException e) {
                // not a day name: ignore
            }
        }
        // A publisher that skips every hour or every day cannot mean it: ignore such a rule.
        return new ParsedFeed.SkipTimes(hours.size() >= 24 ? java.util.Set.of() : hours,
                days.size() >= 7 ? java.util.Set.of() : days);
    }

    /** A feed-level link by relation: Atom links, or atom:link elements inside an RSS channel. */
    private static String feedLink(SyndFeed feed, String rel) {
        if (feed.getLinks() != null) {
            for (SyndLink l : feed.getLinks()) {
                if (rel.equals(l.getRel()) && l.getHref() != null) {
                    return l.getHref();
                }
            }
        }
        WireFeed wire = feed.originalWireFeed();
        Object markup = wire == null ? null : wire.getForeignMarkup();
        if (markup instanceof List<?> elements) {
            for (Object o : elements) {
                if (o instanceof Element el && el.getName().equals("link") && rel.equals(el.getAttributeValue("rel"))) {
                    return el.getAttributeValue("href");
                }
            }
        }
        return null;
    }

    private static EntryDraftList drafts(SyndFeed feed, List<XmlDocuments.EntryDates> dates) {
        EntryDraftList list = new EntryDraftList();
        boolean aligned = dates.size() == feed.getEntries().size();
        for (int i = 0; i < feed.getEntries().size(); i++) {
            SyndEntry e = feed.getEntries().get(i);
            EntryDraft d = new EntryDraft();
            d.guid = blankToNull(e.getUri());
            d.link = blankToNull(e.getLink());
            if (d.link == null && e.getLinks() != null) {
                d.link = e.getLinks().stream().filter(l -> l.getRel() == null || "alternate".equals(l.getRel()))
                        .map(SyndLink::getHref).filter(h -> h != null && !h.isBlank()).findFirst().orElse(null);
            }
            d.canonical = canonicalFromMarkup(e);
            d.title = e.getTitle();
            d.author = blankToNull(e.getAuthor());
            if (d.author == null && e.getAuthors() != null && !e.getAuthors().isEmpty()) {
                d.author = e.getAuthors().stream().map(SyndPerson::getName).filter(n -> n != null && !n.isBlank())
                        .findFirst().orElse(null);
            }
            if (aligned) {
                d.published = FeedDates.parse(dates.get(i).published());
                d.updated = FeedDates.parse(dates.get(i).updated());
            }
            d.summary = e.getDescription() == null ? null : e.getDescription().getValue();
            d.summaryIsText = e.getDescription() != null && "text".equals(e.getDescription().getType());
            StringBuilder content = new StringBuilder();
            for (SyndContent c : e.getContents()) {
                if (c.getValue() != null) {
                    content.append(c.getValue());
                }
            }
            d.content = content.length() == 0 ? null : content.toString();
            for (SyndCategory c : e.getCategories()) {
                if (c.getName() != null && !c.getName().isBlank()) {
                    d.categories.add(c.getName());
                }
            }
            for (SyndEnclosure en : e.getEnclosures()) {
                d.enclosures.add(new ParsedEntry.Enclosure(en.getUrl(), en.getType(), en.getLength() > 0 ? en.getLength() : null));
            }
            list.add(d);
        }
        return list;
    }

    /** feedburner:origLink or an Atom link rel="canonical" among the entry's foreign markup. */
    private static String canonicalFromMarkup(SyndEntry e) {
        for (SyndLink l : e.getLinks() == null ? List.<SyndLink>of() : e.getLinks()) {
            if ("canonical".equals(l.getRel()) && l.getHref() != null) {
                return l.getHref();
            }
        }
        Object markup = e.getForeignMarkup();
        if (markup instanceof List<?> elements) {
            for (Object o : elements) {
                if (o instanceof Element el) {
                    if ("origLink".equals(el.getName()) && !el.getTextTrim().isEmpty()) {
                        return el.getTextTrim();
                    }
                    if ("link".equals(el.getName()) && "canonical".equals(el.getAttributeValue("rel"))) {
                        return el.getAttributeValue("href");
                    }
                }
            }
        }
        return null;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    // ---- from drafts to entries, whatever the format ------------------------------------------------------------

    /** The header fields of a document. */
    record ParsedFeedHeader(String title, String siteUrl, Duration publishHint, String hubUrl, String selfUrl,
            ParsedFeed.SkipTimes skip) {
    }

    /** Mutable per-entry scratch space filled by a format reader; never leaves this package. */
    static final class EntryDraft {
        String guid;
        String link;
        String canonical;
        String title;
        String author;
        Instant published;
        Instant updated;
        String summary;
        boolean summaryIsText;
        String content;
        final List<String> categories = new ArrayList<>();
        final List<ParsedEntry.Enclosure> enclosures = new ArrayList<>();
    }

    static final class EntryDraftList extends ArrayList<EntryDraft> {
    }

    private List<ParsedEntry> finish(List<EntryDraft> drafts, String feedUrl, String base, Instant fetchedAt) {
        Map<String, Integer> guidCounts = new HashMap<>();
        for (EntryDraft d : drafts) {
            if (d.guid != null) {
                guidCounts.merge(d.guid, 1, Integer::sum);
            }
        }
        if (drafts.size() > maxEntries) {
            // Keep the newest before the per-entry work (sanitizing is the expensive part); undated entries count as new.
            drafts = new ArrayList<>(drafts);
            drafts.sort(Comparator.comparing((EntryDraft d) -> d.published != null ? d.published
                    : d.updated != null ? d.updated : fetchedAt).reversed());
            drafts = drafts.subList(0, maxEntries);
        }
        List<ParsedEntry> out = new ArrayList<>(drafts.size());
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (int i = 0; i < drafts.size(); i++) {
            EntryDraft d = drafts.get(i);
            String link = absolute(d.link, base);
            String title = cut(HtmlSanitizer.text(d.title), MAX_TITLE);
            String summary = d.summaryIsText ? escapeText(d.summary) : d.summary;
            summary = cut(HtmlSanitizer.clean(summary, link != null ? link : base), MAX_HTML);
            String content = cut(HtmlSanitizer.clean(d.content, link != null ? link : base), MAX_HTML);
            String key = entryKey(d.guid, link, title, summary, content, guidCounts);
            if (!keys.add(key)) {
                continue; // the same entry twice in one document: keep the first
            }
            Instant published = d.published != null ? d.published : d.updated != null ? d.updated : fetchedAt;
            if (published.isAfter(fetchedAt)) {
                published = fetchedAt;
            }
            Instant updated = d.updated != null && d.updated.isAfter(fetchedAt) ? fetchedAt : d.updated;
            String canonicalSource = d.canonical != null ? absolute(d.canonical, base) : link;
            List<ParsedEntry.Enclosure> enclosures = new ArrayList<>();
            for (ParsedEntry.Enclosure en : d.enclosures) {
                String url = absolute(en.url(), base);
                if (url != null) {
                    enclosures.add(new ParsedEntry.Enclosure(url, cut(blankToNull(en.type()), 200), en.length()));
                }
            }
            List<String> categories = new ArrayList<>(new LinkedHashSet<>(d.categories.stream()
                    .map(HtmlSanitizer::text).filter(c -> c != null).map(c -> cut(c, 100)).toList()));
            String author = cut(HtmlSanitizer.text(d.author), MAX_AUTHOR);
            out.add(new ParsedEntry(key, cut(d.guid, MAX_LINK), title, link, cut(CanonicalLink.of(canonicalSource), 290),
                    author, published, updated, summary,
                    content, categories, enclosures, Hashes.sha256(title, link, summary, content, author)));
        }
        out.sort(Comparator.comparing(ParsedEntry::published).reversed());
        return out.size() > maxEntries ? List.copyOf(out.subList(0, maxEntries)) : out;
    }

    /** guid; guid + link when guids repeat in the document; else link; else a hash of title and content. */
    private static String entryKey(String guid, String link, String title, String summary, String content,
            Map<String, Integer> guidCounts) {
        String key;
        if (guid != null && guidCounts.getOrDefault(guid, 0) == 1) {
            key = "g:" + guid;
        } else if (guid != null && link != null) {
            key = "gl:" + guid + "|" + link;
        } else if (link != null) {
            key = "l:" + link;
        } else {
            key = "h:" + Hashes.sha256(guid, title, summary, content);
        }
        return key.length() > MAX_KEY ? "h:" + Hashes.sha256(key) : key;
    }

    /** An absolute http(s) URL no longer than the cap, or null. */
    static String absolute(String url, String base) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI u = new URI(url.trim().replace(" ", "%20"));
            if (!u.isAbsolute() && base != null) {
                u = new URI(base).resolve(u);
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
                return null;
            }
            String s = u.toString();
            return s.length() > MAX_LINK ? null : s;
        } catch (Exception e) {
            return null;
        }
    }

    static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String escapeText(String text) {
        if (text == null) {
            return null;
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n\n", "<br><br>");
    }
}
