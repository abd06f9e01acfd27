package dev.tributary.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One poll attempt of one feed, kept for the feed's history. */
@Entity
@Table(name = "poll_log")
public class PollLogEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "feed_id")
    public Long feedId;
    @Column(name = "polled_at")
    public Instant polledAt;
    public String outcome;
    @Column(name = "http_status")
    public Integer httpStatus;
    public Long bytes;
    @Column(name = "duration_ms")
    public Long durationMs;
    @Column(name = "new_entries")
    public Integer newEntries;
    public String error;
    @Column(name = "next_poll_at")
    public Instant nextPollAt;
    @Column(name = "next_poll_reason")
    public String nextPollReason;
}
