package dev.tributary.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads JSON Feed 1.0 and 1.1 documents into drafts, the same shape Rome's output is turned into. */
final class JsonFeedReader {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS) // publishers do it; the output stage drops them
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    record Result(FeedParser.ParsedFeedHeader header, FeedParser.EntryDraftList drafts) {
    }

    private JsonFeedReader() {
    }

    static Result read(byte[] body, int offset) throws FeedParseException {
        JsonNode root;
        try {
            root = MAPPER.readTree(body, offset, body.length - offset);
        } catch (JsonProcessingException e) {
            throw new FeedParseException("invalid feed: malformed JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new FeedParseException("invalid feed: unreadable JSON", e);
        }
        String version = text(root, "version");
        if (root == null || !root.isObject() || version == null || !version.startsWith("https://jsonfeed.org/version/")) {
            throw new FeedParseException("not a feed: JSON without a JSON Feed version");
        }
        FeedParser.EntryDraftList drafts = new FeedParser.EntryDraftList();
        for (JsonNode item : root.path("items")) {
            if (!item.isObject()) {
                continue;
            }
            FeedParser.EntryDraft d = new FeedParser.EntryDraft();
            d.guid = FeedParser.blankToNull(item.path("id").isValueNode() ? item.path("id").asText() : null);
            d.link = text(item, "url");
            d.canonical = text(item, "external_url");
            d.title = text(item, "title");
            d.summary = text(item, "summary");
            d.summaryIsText = true;
            d.content = text(item, "content_html");
            if (d.content == null && text(item, "content_text") != null) {
                d.content = "<p>" + text(item, "content_text").replace("&", "&amp;").replace("<", "&lt;")
                        .replace("\n\n", "</p><p>") + "</p>";
            }
            d.published = date(text(item, "date_published"));
            d.updated = date(text(item, "date_modified"));
            JsonNode author = item.path("authors").path(0);
            if (author.isMissingNode()) {
                author = item.path("author");
            }
            d.author = text(author, "name");
            for (JsonNode tag : item.path("tags")) {
                if (tag.isTextual()) {
                    d.categories.add(tag.asText());
                }
            }
            for (JsonNode a : item.path("attachments")) {
                String url = text(a, "url");
                if (url != null) {
                    Long size = a.path("size_in_bytes").canConvertToLong() ? a.path("size_in_bytes").asLong() : null;
                    d.enclosures.add(new ParsedEntry.Enclosure(url, text(a, "mime_type"), size));
                }
            }
            drafts.add(d);
        }
        String hub = null;
        for (JsonNode h : root.path("hubs")) {
            if ("websub".equalsIgnoreCase(text(h, "type")) && text(h, "url") != null) {
                hub = text(h, "url");
            }
        }
        return new Result(new FeedParser.ParsedFeedHeader(HtmlSanitizer.text(text(root, "title")),
                text(root, "home_page_url"), null, hub, text(root, "feed_url"), ParsedFeed.SkipTimes.NONE), drafts);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText().trim() : null;
    }

    private static Instant date(String s) {
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
