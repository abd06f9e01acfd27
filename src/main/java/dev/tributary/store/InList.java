package dev.tributary.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Queries with an {@code IN} list over many values, in plain JDBC and in lists of a few fixed lengths (the last one
 * padded by repeating its last value, which changes nothing for {@code IN}). Through Hibernate, every list length
 * was a new query: translated, rendered and parsed by the database again, about half the cost of the story stage's
 * index probes in a profile; with fixed lengths there are three statements per query, each prepared once.
 */
final class InList {

    private static final int[] LENGTHS = {8, 64, 512};

    private InList() {
    }

    /** The values in lists of at most {@code size}, in order (views of one copy). */
    static <T> List<List<T>> chunks(Collection<T> values, int size) {
        List<T> all = new ArrayList<>(values);
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }

    /** Sets the parameters before the list (from 1); returns the index of the first list parameter. */
    interface Prefix {
        int bind(PreparedStatement ps) throws SQLException;
    }

    interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    /**
     * Runs {@code sql}, whose {@code IN (%s)} takes the list, over all {@code values} (Long or String), calling
     * {@code row} for each result row. Duplicates in {@code values} are fine.
     */
    static void query(Connection c, String sql, Prefix prefix, Collection<?> values, Row row) throws SQLException {
        List<?> all = values instanceof List<?> l ? l : new ArrayList<>(values);
        int from = 0;
        while (from < all.size()) {
            int left = all.size() - from;
            int length = LENGTHS[LENGTHS.length - 1];
            for (int candidate : LENGTHS) {
                if (candidate >= left) {
                    length = candidate;
                    break;
                }
            }
            String marks = String.join(", ", Collections.nCopies(length, "?"));
            try (PreparedStatement ps = c.prepareStatement(String.format(sql, marks))) {
                int p = prefix == null ? 1 : prefix.bind(ps);
                for (int i = 0; i < length; i++) {
                    Object v = all.get(Math.min(from + i, all.size() - 1));
                    if (v instanceof Long n) {
                        ps.setLong(p + i, n);
                    } else {
                        ps.setString(p + i, (String) v);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        row.read(rs);
                    }
                }
            }
            from += Math.min(length, left);
        }
    }

    /**
     * Runs {@code sql}, whose one parameter is an array of {@code sqlType} (read through {@code unnest(?)}), over
     * all {@code values} in arrays of at most {@code per}, calling {@code row} for each result row. One statement
     * whatever the count: no padding, nothing for the database to parse or plan per value.
     */
    static void array(Connection c, String sql, String sqlType, List<?> values, int per, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int from = 0; from < values.size(); from += per) {
                ps.setArray(1, c.createArrayOf(sqlType, values.subList(from, Math.min(values.size(), from + per))
                        .toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        row.read(rs);
                    }
                }
            }
        }
    }
}
