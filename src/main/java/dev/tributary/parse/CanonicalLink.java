package dev.tributary.parse;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reduces an article URL to the form two outlets' copies share: no scheme, lower-case host without {@code www.} or
 * {@code amp.}, no default port, fragment, tracking parameters, AMP suffix or trailing slash, remaining query sorted.
 */
public final class CanonicalLink {

    private static final Set<String> TRACKING = Set.of("fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid",
            "mc_eid", "ref", "ref_src", "ref_url", "cmpid", "cmp", "igshid", "_ga", "_gl", "_hsenc", "_hsmi",
            "mkt_tok", "spm", "s_cid", "ncid", "ocid", "sr_share", "share", "amp", "outputtype", "cid", "source",
            "rss", "feature", "at_medium", "at_campaign", "xtor", "wt.mc_id", "icid", "guccounter", "smid", "partner");

    private CanonicalLink() {
    }

    /** The canonical form of an http(s) URL, or null when it is not one. */
    public static String of(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            return null;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        for (String prefix : List.of("www.", "amp.", "m.")) {
            if (host.startsWith(prefix) && host.indexOf('.', prefix.length()) > 0) {
                host = host.substring(prefix.length());
            }
        }
        int port = uri.getPort();
        String portPart = port == -1 || port == 80 || port == 443 ? "" : ":" + port;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        path = path.contains("//") ? REPEATED_SLASHES.matcher(path).replaceAll("/") : path;
        if (path.endsWith("/amp") || path.endsWith("/amp/")) {
            path = path.substring(0, path.lastIndexOf("/amp"));
        } else if (path.endsWith(".amp") || path.endsWith(".amp.html")) {
            path = path.substring(0, path.lastIndexOf(".amp")) + (path.endsWith(".html") ? ".html" : "");
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String query = canonicalQuery(uri.getRawQuery());
        return host + portPart + path + (query.isEmpty() ? "" : "?" + query);
    }

    /** Compiled once: these run for every entry's link. */
    private static final java.util.regex.Pattern REPEATED_SLASHES = java.util.regex.Pattern.compile("/{2,}");
    private static final java.util.regex.Pattern QUERY_SEPARATORS = java.util.regex.Pattern.compile("[&;]");

    private static String canonicalQuery(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String pair : QUERY_SEPARATORS.split(raw)) {
            if (pair.isEmpty()) {
                continue;
            }
            String name = (pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair).toLowerCase(Locale.ROOT);
            if (name.startsWith("utm_") || TRACKING.contains(name)) {
                continue;
            }
            kept.add(pair);
        }
        kept.sort(null);
        return String.join("&", kept);
    }
}
