package dev.tributary.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The form in which two subscription URLs are compared: scheme and host lower-cased, default port, fragment and trailing slash dropped. */
public final class UrlKey {
    private UrlKey() {
    }

    /** The comparison key of an absolute URL, or null when it is not one. */
    public static String of(String url) {
        try {
            URI u = new URI(url.trim());
            if (u.getScheme() == null || u.getHost() == null) {
                return null;
            }
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            String key = scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            return key.length() > 2048 ? null : key;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
