package dev.tributary.fetch;

/** What to fetch, with the validators from the previous response (either may be null). */
public record FetchRequest(String url, String etag, String lastModified) {
}
