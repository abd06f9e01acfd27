package dev.tributary.parse;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.JDOMException;
import org.jdom2.input.SAXBuilder;
import org.jdom2.input.sax.XMLReaders;

/**
 * Builds the JDOM document Rome reads, with the XML parser locked down (no DOCTYPE, no external entities or DTDs,
 * no entity expansion), and takes the entries' dates out of it so that {@link FeedDates} parses them instead of Rome.
 */
final class XmlDocuments {

    private static final String DC = "http://purl.org/dc/elements/1.1/";
    private static final String DCTERMS = "http://purl.org/dc/terms/";

    private XmlDocuments() {
    }

    /** The dates of one entry as written in the document. */
    record EntryDates(String published, String updated) {
    }

    static Document build(String text) throws JDOMException, IOException {
        SAXBuilder builder = new SAXBuilder(XMLReaders.NONVALIDATING);
        builder.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        builder.setFeature("http://xml.org/sax/features/external-general-entities", false);
        builder.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        builder.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        builder.setExpandEntities(false);
        builder.setEntityResolver((publicId, systemId) -> new org.xml.sax.InputSource(new StringReader("")));
        return builder.build(new StringReader(text)); // entities were made well-formed by FeedParser.repairXmlText

    }

    /**
     * Removes the date elements of every entry (RSS item, Atom entry), in document order, and returns what they said.
     * Feed-level dates stay for Rome.
     */
    static List<EntryDates> takeEntryDates(Document doc) {
        List<EntryDates> out = new ArrayList<>();
        Element root = doc.getRootElement();
        collect(root, out, 0);
        return out;
    }

    private static void collect(Element parent, List<EntryDates> out, int depth) {
        for (Element child : parent.getChildren()) {
            String name = child.getName();
            if (name.equals("item") || name.equals("entry")) {
                out.add(take(child));
            } else if (depth < 2 && (name.equals("channel") || name.equals("items"))) {
                collect(child, out, depth + 1);
            }
        }
    }

    private static EntryDates take(Element entry) {
        String published = null;
        String updated = null;
        Iterator<Element> it = entry.getChildren().iterator();
        while (it.hasNext()) {
            Element c = it.next();
            String ns = c.getNamespaceURI();
            String name = c.getName();
            boolean atomOrRss = ns.isEmpty() || !ns.equals(DC) && !ns.equals(DCTERMS);
            String value = c.getTextTrim();
            if (atomOrRss && (name.equals("pubDate") || name.equals("published") || name.equals("issued")
                    || name.equals("created")) || (ns.equals(DC) || ns.equals(DCTERMS)) && (name.equals("date")
                    || name.equals("created") || name.equals("issued"))) {
                published = published == null ? value : published;
                it.remove();
            } else if (atomOrRss && (name.equals("updated") || name.equals("modified"))
                    || ns.equals(DCTERMS) && name.equals("modified")) {
                updated = updated == null ? value : updated;
                it.remove();
            }
        }
        return new EntryDates(published, updated);
    }
}
