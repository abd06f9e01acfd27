package dev.tributary.feed;

import dev.tributary.store.FeedView;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/** Reads and writes OPML subscription lists; tags travel as folders and as the {@code category} attribute. */
public final class Opml {

    /** One subscription from an OPML file. */
    public record Outline(String url, String title, List<String> tags) {
    }

    private Opml() {
    }

    /** Parses OPML without DTDs or external entities; IllegalArgumentException when it is not OPML. */
    public static List<Outline> read(byte[] xml) {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        List<Outline> out = new ArrayList<>();
        Deque<String> folders = new ArrayDeque<>();
        Deque<Boolean> isFolder = new ArrayDeque<>();
        boolean sawOpml = false;
        try {
            XMLStreamReader r = f.createXMLStreamReader(new ByteArrayInputStream(xml));
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    if (name.equalsIgnoreCase("opml")) {
                        sawOpml = true;
                    } else if (name.equalsIgnoreCase("outline")) {
                        String url = attr(r, "xmlUrl");
                        String title = attr(r, "title") != null ? attr(r, "title") : attr(r, "text");
                        if (url != null) {
                            Set<String> tags = new LinkedHashSet<>(folders);
                            String category = attr(r, "category");
                            if (category != null) {
                                Arrays.stream(category.split(",")).map(c -> c.replaceAll("^/+", "").strip())
                                        .filter(c -> !c.isEmpty()).forEach(tags::add);
                            }
                            out.add(new Outline(url.strip(), title, List.copyOf(tags)));
                            isFolder.push(false);
                        } else {
                            isFolder.push(true);
                            folders.addLast(title == null ? "" : title.strip());
                        }
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT && r.getLocalName().equalsIgnoreCase("outline")) {
                    if (!isFolder.isEmpty() && isFolder.pop()) {
                        folders.pollLast();
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("not valid OPML: " + e.getMessage().replaceAll("\\s+", " "));
        }
        if (!sawOpml) {
            throw new IllegalArgumentException("not OPML: no <opml> element");
        }
        out.replaceAll(o -> new Outline(o.url(), o.title(), o.tags().stream().filter(t -> !t.isEmpty()).toList()));
        return out;
    }

    private static String attr(XMLStreamReader r, String name) {
        for (int i = 0; i < r.getAttributeCount(); i++) {
            if (r.getAttributeLocalName(i).equalsIgnoreCase(name)) {
                String v = r.getAttributeValue(i);
                return v == null || v.isBlank() ? null : v;
            }
        }
        return null;
    }

    /** Writes the subscriptions as OPML 2.0, each with its tags in {@code category}. */
    public static String write(List<FeedView> feeds, String title) {
        StringWriter sw = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(sw);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("opml");
            w.writeAttribute("version", "2.0");
            w.writeStartElement("head");
            w.writeStartElement("title");
            w.writeCharacters(title);
            w.writeEndElement();
            w.writeStartElement("dateCreated");
            w.writeCharacters(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                    .format(Instant.now().atZone(java.time.ZoneOffset.UTC)));
            w.writeEndElement();
            w.writeEndElement();
            w.writeStartElement("body");
            for (FeedView f : feeds) {
                w.writeEmptyElement("outline");
                w.writeAttribute("type", "rss");
                String name = f.title() != null ? f.title() : f.url();
                w.writeAttribute("text", name);
                w.writeAttribute("title", name);
                w.writeAttribute("xmlUrl", f.url());
                if (f.siteUrl() != null) {
                    w.writeAttribute("htmlUrl", f.siteUrl());
                }
                if (!f.tags().isEmpty()) {
                    w.writeAttribute("category", String.join(",", f.tags().stream().map(t -> "/" + t).toList()));
                }
            }
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return sw.toString();
    }
}
