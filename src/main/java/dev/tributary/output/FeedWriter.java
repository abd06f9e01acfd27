package dev.tributary.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.rometools.rome.feed.atom.Category;
import com.rometools.rome.feed.atom.Content;
import com.rometools.rome.feed.atom.Entry;
import com.rometools.rome.feed.atom.Feed;
import com.rometools.rome.feed.atom.Link;
import com.rometools.rome.feed.atom.Person;
import com.rometools.rome.feed.module.DCModuleImpl;
import com.rometools.rome.feed.rss.Channel;
import com.rometools.rome.feed.rss.Description;
import com.rometools.rome.feed.rss.Enclosure;
import com.rometools.rome.feed.rss.Guid;
import com.rometools.rome.feed.rss.Item;
import com.rometools.rome.feed.rss.Source;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.WireFeedOutput;
import dev.tributary.parse.XmlChars;
import dev.tributary.timeline.TimelineItem;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the merged timeline as Atom 1.0, RSS 2.0 or JSON Feed 1.1, with every source of each story attributed. */
public final class FeedWriter {

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private FeedWriter() {
    }

    public static String atom(OutputFeed out) {
        Feed feed = new Feed("atom_1.0");
        feed.setId("urn:tributary:feed:" + XmlChars.strip(out.selfUrl()));
        feed.setTitle(XmlChars.strip(out.title()));
        feed.setUpdated(Date.from(out.updated()));
        feed.setOtherLinks(List.of(link("self", out.selfUrl(), "application/atom+xml", null)));
        feed.setAlternateLinks(List.of(link("alternate", out.siteUrl(), "text/html", null)));
        Person generator = new Person();
        generator.setName("Tributary");
        feed.setAuthors(List.of(generator));
        List<Entry> entries = new ArrayList<>();
        for (TimelineItem item : out.items()) {
            Entry e = new Entry();
            e.setId(OutputFeed.itemId(item));
            e.setTitle(XmlChars.strip(title(item)));
            e.setPublished(Date.from(item.published()));
            e.setUpdated(Date.from(item.modified()));
            List<Link> alternate = new ArrayList<>();
            if (item.link() != null) {
                alternate.add(link("alternate", item.link(), "text/html", null));
            }
            e.setAlternateLinks(alternate);
            List<Link> other = new ArrayList<>();
            for (TimelineItem.Source s : item.sources().subList(1, item.sources().size())) {
                if (s.link() != null) {
                    other.add(link("related", s.link(), "text/html", XmlChars.strip(s.feedTitle())));
                }
            }
            for (TimelineItem.Enclosure en : item.enclosures()) {
                Link l = link("enclosure", en.url(), en.type(), null);
                if (en.length() != null) {
                    l.setLength(en.length());
                }
                other.add(l);
            }
            e.setOtherLinks(other);
            if (item.author() != null) {
                Person p = new Person();
                p.setName(XmlChars.strip(item.author()));
                e.setAuthors(List.of(p));
            }
            if (item.summary() != null && item.content() != null) {
                e.setSummary(html(item.summary()));
            }
            e.setContents(List.of(html(body(item))));
            List<Category> cats = new ArrayList<>();
            for (String c : item.categories()) {
                Category cat = new Category();
                cat.setTerm(XmlChars.strip(c));
                cats.add(cat);
            }
            e.setCategories(cats);
            e.setSource(atomSource(item.sources().get(0)));
            entries.add(e);
        }
        feed.setEntries(entries);
        return write(feed);
    }

    private static Feed atomSource(TimelineItem.Source s) {
        Feed source = new Feed();
        source.setId(XmlChars.strip(s.feedUrl()));
        source.setTitle(XmlChars.strip(s.feedTitle() != null ? s.feedTitle() : s.feedUrl()));
        List<Link> links = new ArrayList<>();
        links.add(link("self", s.feedUrl(), null, null));
        if (s.feedSiteUrl() != null) {
            links.add(link("alternate", s.feedSiteUrl(), "text/html", null));
        }
        source.setOtherLinks(List.of(links.get(0)));
        source.setAlternateLinks(links.subList(1, links.size()));
        return source;
    }

    public static String rss(OutputFeed out) {
        Channel channel = new Channel("rss_2.0");
        channel.setTitle(XmlChars.strip(out.title()));
        channel.setLink(out.siteUrl());
        channel.setDescription("Merged timeline: each story once, with all its sources");
        channel.setGenerator("Tributary");
        channel.setLastBuildDate(Date.from(out.updated()));
        List<Item> items = new ArrayList<>();
        for (TimelineItem item : out.items()) {
            Item i = new Item();
            i.setTitle(XmlChars.strip(title(item)));
            i.setLink(item.link());
            Guid guid = new Guid();
            guid.setPermaLink(false);
            guid.setValue(OutputFeed.itemId(item));
            i.setGuid(guid);
            i.setPubDate(Date.from(item.published()));
            Description d = new Description();
            d.setType("text/html");
            d.setValue(XmlChars.strip(body(item) + outlets(item)));
            i.setDescription(d);
            TimelineItem.Source first = item.sources().get(0);
            Source src = new Source();
            src.setUrl(first.feedUrl());
            src.setValue(XmlChars.strip(first.feedTitle() != null ? first.feedTitle() : first.feedUrl()));
            i.setSource(src);
            if (item.author() != null) {
                DCModuleImpl dc = new DCModuleImpl();
                dc.setCreator(XmlChars.strip(item.author()));
                i.getModules().add(dc);
            }
            List<com.rometools.rome.feed.rss.Category> cats = new ArrayList<>();
            for (String c : item.categories()) {
                com.rometools.rome.feed.rss.Category cat = new com.rometools.rome.feed.rss.Category();
                cat.setValue(XmlChars.strip(c));
                cats.add(cat);
            }
            i.setCategories(cats);
            if (!item.enclosures().isEmpty()) {
                TimelineItem.Enclosure en = item.enclosures().get(0);
                Enclosure enc = new Enclosure();
                enc.setUrl(en.url());
                enc.setType(en.type() != null ? en.type() : "application/octet-stream");
                enc.setLength(en.length() != null ? en.length() : 0);
                i.setEnclosures(List.of(enc));
            }
            items.add(i);
        }
        channel.setItems(items);
        return write(channel);
    }

    public static String json(OutputFeed out) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "https://jsonfeed.org/version/1.1");
        root.put("title", out.title());
        root.put("home_page_url", out.siteUrl());
        root.put("feed_url", out.selfUrl());
        List<Object> items = new ArrayList<>();
        for (TimelineItem item : out.items()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("id", OutputFeed.itemId(item));
            putIfPresent(i, "url", item.link());
            i.put("title", title(item));
            i.put("content_html", body(item));
            putIfPresent(i, "summary", item.summary() == null ? null : org.jsoup.Jsoup.parse(item.summary()).text());
            i.put("date_published", item.published().toString());
            i.put("date_modified", item.modified().toString());
            if (item.author() != null) {
                i.put("authors", List.of(Map.of("name", item.author())));
            }
            if (!item.categories().isEmpty()) {
                i.put("tags", item.categories());
            }
            if (!item.enclosures().isEmpty()) {
                List<Object> att = new ArrayList<>();
                for (TimelineItem.Enclosure en : item.enclosures()) {
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("url", en.url());
                    a.put("mime_type", en.type() != null ? en.type() : "application/octet-stream");
                    putIfPresent(a, "size_in_bytes", en.length());
                    att.add(a);
                }
                i.put("attachments", att);
            }
            List<Object> sources = new ArrayList<>();
            for (TimelineItem.Source s : item.sources()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("feed_id", s.feedId());
                putIfPresent(m, "feed_title", s.feedTitle());
                m.put("feed_url", s.feedUrl());
                putIfPresent(m, "feed_home_page_url", s.feedSiteUrl());
                putIfPresent(m, "url", s.link());
                putIfPresent(m, "title", s.title());
                m.put("date_published", s.published().toString());
                sources.add(m);
            }
            i.put("_tributary", Map.of("story_id", item.id(), "sources", sources));
            items.add(i);
        }
        root.put("items", items);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON Feed rendering failed", e);
        }
    }

    private static void putIfPresent(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static String title(TimelineItem item) {
        return item.title() != null ? item.title() : "(untitled)";
    }

    /** The content, else the summary, else the title: every format gets a body. */
    private static String body(TimelineItem item) {
        return item.content() != null ? item.content() : item.summary() != null ? item.summary() : "";
    }

    /** "Also published by" for RSS 2.0, which has room for only one source element. */
    private static String outlets(TimelineItem item) {
        if (item.sources().size() < 2) {
            return "";
        }
        StringBuilder sb = new StringBuilder("<hr><p>Sources:</p><ul>");
        for (TimelineItem.Source s : item.sources()) {
            String name = escape(s.feedTitle() != null ? s.feedTitle() : s.feedUrl());
            sb.append("<li>");
            if (s.link() != null) {
                sb.append("<a href=\"").append(escape(s.link())).append("\">").append(name).append("</a>");
            } else {
                sb.append(name);
            }
            sb.append("</li>");
        }
        return sb.append("</ul>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static Content html(String value) {
        Content c = new Content();
        c.setType("html");
        c.setValue(XmlChars.strip(value));
        return c;
    }

    private static Link link(String rel, String href, String type, String title) {
        Link l = new Link();
        l.setRel(rel);
        l.setHref(href);
        if (type != null) {
            l.setType(type);
        }
        if (title != null) {
            l.setTitle(title);
        }
        return l;
    }

    private static String write(com.rometools.rome.feed.WireFeed feed) {
        try {
            return new WireFeedOutput().outputString(feed, true);
        } catch (FeedException e) {
            throw new IllegalStateException("feed rendering failed", e);
        }
    }
}
