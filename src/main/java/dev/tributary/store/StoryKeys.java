package dev.tributary.store;

import dev.tributary.parse.CanonicalLink;
import dev.tributary.parse.Hashes;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact keys of a story, and how they are stored. An entry is found under its canonical link and under its guid
 * when that is a URL (many feeds use the article's address as its guid). In the story_key table a key is its hash:
 * the first 64 bits of its SHA-256 as the primary key and the next 32 as a check, so the table is one B-tree of
 * fixed-size rows (migration V12; a text key took a row map, a unique index on the text and an index on the story).
 * A lookup whose check differs is a collision of the first 64 bits and finds nothing.
 */
public final class StoryKeys {

    private StoryKeys() {
    }

    /** Longest guid URL that is a key (longer ones are not addresses anybody shares). */
    private static final int MAX_GUID_URL = 290;

    /** The keys under which an entry with this canonical link and guid can be found, canonical link first. */
    public static List<String> of(String canonicalLink, String guid) {
        List<String> keys = new ArrayList<>(2);
        if (canonicalLink != null) {
            keys.add("u:" + canonicalLink);
        }
        String guidUrl = guidUrl(guid);
        if (guidUrl != null && !keys.contains("u:" + guidUrl)) {
            keys.add("u:" + guidUrl);
        }
        return keys;
    }

    /** The guid in canonical form when it is a URL; else null. */
    public static String guidUrl(String guid) {
        if (guid == null || !guid.regionMatches(true, 0, "http", 0, 4)) {
            return null;
        }
        String url = CanonicalLink.of(guid);
        return url == null || url.length() > MAX_GUID_URL ? null : url;
    }

    /** The stored hashes of the keys of an entry with this canonical link and guid (see {@link #of}). */
    public static List<Long> hashesOf(String canonicalLink, String guid) {
        List<Long> hashes = new ArrayList<>(2);
        for (String key : of(canonicalLink, guid)) {
            hashes.add(hash(key).hash());
        }
        return hashes;
    }

    /** A key as stored: the hash that is its primary key and the check stored beside it. */
    public record Hashed(String key, long hash, int check) {
    }

    public static Hashed hash(String key) {
        byte[] d = Hashes.sha256Digest(key);
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = h << 8 | (d[i] & 0xFF);
        }
        int check = 0;
        for (int i = 8; i < 12; i++) {
            check = check << 8 | (d[i] & 0xFF);
        }
        return new Hashed(key, h, check);
    }
}
