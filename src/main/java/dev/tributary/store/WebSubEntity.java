package dev.tributary.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A WebSub subscription of one feed at one hub. */
@Entity
@Table(name = "websub_subscription")
public class WebSubEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "feed_id")
    public Long feedId;
    @Column(name = "hub_url")
    public String hubUrl;
    @Column(name = "topic_url")
    public String topicUrl;
    public String secret;
    @Column(name = "callback_token")
    public String callbackToken;
    public String state;
    @Column(name = "lease_until")
    public Instant leaseUntil;
    @Column(name = "requested_at")
    public Instant requestedAt;
}
