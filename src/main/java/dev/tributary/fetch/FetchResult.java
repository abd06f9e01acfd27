package dev.tributary.fetch;

import java.time.Duration;

/**
 * The outcome of one successful fetch: either a body or "not modified".
 *
 * @param status        final HTTP status (200..299 or 304)
 * @param finalUrl      URL after redirects
 * @param movedTo       new permanent address when every hop was a 301/308, else null
 * @param body          decompressed body, empty on 304
 * @param contentType   Content-Type header or null
 * @param etag          ETag header or null
 * @param lastModified  Last-Modified header or null
 * @param maxAge        publisher's freshness hint from Cache-Control max-age or Expires, or null
 * @param links         rel to URL from the HTTP Link header (WebSub hub and self), empty when none
 * @param wireBytes     bytes read from the network (compressed)
 * @param duration      wall time of the whole fetch
 */
public record FetchResult(int status, String finalUrl, String movedTo, byte[] body, String contentType, String etag,
        String lastModified, Duration maxAge, java.util.Map<String, String> links, long wireBytes, Duration duration) {

    public boolean notModified() {
        return status == 304;
    }

    /**
     * The same outcome without its body: what a poll keeps while its document waits for the commit (the parsed
     * entries carry what is stored; the raw bytes would only be copied into the old generation and die there).
     */
    public FetchResult withoutBody() {
        return body.length == 0 ? this : new FetchResult(status, finalUrl, movedTo, new byte[0], contentType, etag,
                lastModified, maxAge, links, wireBytes, duration);
    }

    /**
     * This fetch of a feed found through a web page ({@code discovered}, the page's feed link): the subscription moves
     * to it as to a permanent redirect, or to where it permanently redirects in turn; the page's bytes count too.
     */
    public FetchResult foundThrough(String discovered, FetchResult page) {
        return new FetchResult(status, finalUrl, movedTo != null ? movedTo : discovered, body, contentType, etag,
                lastModified, maxAge, links, page.wireBytes() + wireBytes, page.duration().plus(duration));
    }
}
