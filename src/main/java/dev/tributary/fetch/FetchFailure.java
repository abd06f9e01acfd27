package dev.tributary.fetch;

/** The named ways a fetch can fail; poll turns each into the feed's recorded status. */
public enum FetchFailure {
    /** The URL is not http/https or cannot be parsed. */
    BAD_URL,
    /** The address guard refused the host (private, loopback, link-local, ...). */
    BLOCKED_ADDRESS,
    /** The decompressed body is larger than the cap. */
    TOO_LARGE,
    /** The connection, a read, or the whole fetch ran out of time. */
    TIMEOUT,
    /** More redirect hops than allowed, or a redirect loop. */
    TOO_MANY_REDIRECTS,
    /** 410 Gone: the publisher retired the feed. */
    GONE,
    /** 429 or 503: the server asks us to come back later. */
    RATE_LIMITED,
    /** Any other non-success HTTP status. */
    HTTP_ERROR,
    /** DNS, TCP, TLS or protocol failure. */
    NETWORK
}
