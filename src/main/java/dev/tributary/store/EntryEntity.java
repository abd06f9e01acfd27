package dev.tributary.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One entry of one feed; {@code unique (feed_id, entry_key)} keeps it single. */
@Entity
@Table(name = "entry")
public class EntryEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "feed_id")
    public Long feedId;
    @Column(name = "entry_key")
    public String entryKey;
    @Column(name = "story_id")
    public Long storyId;
    @Column(name = "join_reason")
    public String joinReason;
    public String guid;
    public String title;
    public String link;
    @Column(name = "canonical_link")
    public String canonicalLink;
    public String author;
    @Column(name = "published_at")
    public Instant publishedAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "first_seen_at")
    public Instant firstSeenAt;
    @Column(name = "modified_at")
    public Instant modifiedAt;
    public String summary;
    public String content;
    public String categories;
    public String enclosures;
    @Column(name = "content_hash")
    public String contentHash;
}
