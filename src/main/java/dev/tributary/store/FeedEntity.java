package dev.tributary.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/** A subscription and its poll state. Never leaves the store package; callers get {@link FeedView}. */
@Entity
@Table(name = "feed")
public class FeedEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String url;
    @Column(name = "url_key")
    public String urlKey;
    public String title;
    @Column(name = "user_title")
    public String userTitle;
    @Column(name = "site_url")
    public String siteUrl;
    public boolean paused;
    public String status;
    @Column(name = "duplicate_of")
    public Long duplicateOf;
    public String etag;
    @Column(name = "last_modified")
    public String lastModified;
    @Column(name = "body_hash")
    public String bodyHash;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "last_polled_at")
    public Instant lastPolledAt;
    @Column(name = "last_success_at")
    public Instant lastSuccessAt;
    @Column(name = "last_http_status")
    public Integer lastHttpStatus;
    @Column(name = "last_error")
    public String lastError;
    @Column(name = "error_count")
    public int errorCount;
    @Column(name = "last_bytes")
    public Long lastBytes;
    @Column(name = "last_duration_ms")
    public Long lastDurationMs;
    @Column(name = "last_new_entries")
    public Integer lastNewEntries;
    @Column(name = "next_poll_at")
    public Instant nextPollAt;
    @Column(name = "next_poll_reason")
    public String nextPollReason;
    @Column(name = "manual_refresh_at")
    public Instant manualRefreshAt;
    @Column(name = "claimed_by")
    public String claimedBy;
    @Column(name = "lease_until")
    public Instant leaseUntil;
    /** See {@link RecentPublished}. */
    @Column(name = "recent_published")
    public String recentPublished;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "feed_tag", joinColumns = @JoinColumn(name = "feed_id"))
    @Column(name = "tag")
    public Set<String> tags = new TreeSet<>();
}
