package dev.tributary.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** WebSub subscriptions: pending until the hub verifies them, active until their lease runs out. */
@ApplicationScoped
public class WebSubStore {

    public static final String PENDING = "pending";
    public static final String ACTIVE = "active";
    public static final String UNSUBSCRIBING = "unsubscribing";

    private final EntityManager em;

    public WebSubStore(EntityManager em) {
        this.em = em;
    }

    /** A subscription as the push stage sees it. */
    public record Subscription(long feedId, String hubUrl, String topicUrl, String secret, String callbackToken,
            String state, Instant leaseUntil, Instant requestedAt) {
        static Subscription of(WebSubEntity e) {
            return new Subscription(e.feedId, e.hubUrl, e.topicUrl, e.secret, e.callbackToken, e.state, e.leaseUntil,
                    e.requestedAt);
        }
    }

    @Transactional
    public Optional<Subscription> find(long feedId) {
        return em.createQuery("from WebSubEntity where feedId = :f", WebSubEntity.class).setParameter("f", feedId)
                .getResultStream().findFirst().map(Subscription::of);
    }

    /** Records a subscription request (new, or a renewal that keeps the current state until verified). */
    @Transactional
    public Subscription request(long feedId, String hub, String topic, String secret, String token, Instant now) {
        WebSubEntity e = em.createQuery("from WebSubEntity where feedId = :f", WebSubEntity.class).setParameter("f", feedId)
                .getResultStream().findFirst().orElseGet(WebSubEntity::new);
        boolean renewal = e.id != null && ACTIVE.equals(e.state) && e.hubUrl.equals(hub) && e.topicUrl.equals(topic);
        e.feedId = feedId;
        e.hubUrl = hub;
        e.topicUrl = topic;
        if (!renewal) {
            e.secret = secret;
            e.callbackToken = token;
            e.state = PENDING;
        }
        e.requestedAt = now;
        if (e.id == null) {
            em.persist(e);
        }
        return Subscription.of(e);
    }

    /** The hub verified a subscription: active until {@code leaseUntil}. */
    @Transactional
    public void activate(long feedId, Instant leaseUntil) {
        em.createQuery("update WebSubEntity set state = :s, leaseUntil = :l where feedId = :f")
                .setParameter("s", ACTIVE).setParameter("l", leaseUntil).setParameter("f", feedId).executeUpdate();
    }

    @Transactional
    public void markUnsubscribing(long feedId) {
        em.createQuery("update WebSubEntity set state = :s where feedId = :f").setParameter("s", UNSUBSCRIBING)
                .setParameter("f", feedId).executeUpdate();
    }

    @Transactional
    public void remove(long feedId) {
        em.createQuery("delete from WebSubEntity where feedId = :f").setParameter("f", feedId).executeUpdate();
    }

    /** Active subscriptions whose lease ends before {@code before}, and pending ones requested before {@code stale}. */
    @Transactional
    public List<Subscription> dueForRenewal(Instant before, Instant stale) {
        return em.createQuery("from WebSubEntity where (state = :a and leaseUntil < :before) or (state = :p and requestedAt < :stale)",
                        WebSubEntity.class).setParameter("a", ACTIVE).setParameter("before", before)
                .setParameter("p", PENDING).setParameter("stale", stale).getResultList().stream()
                .map(Subscription::of).toList();
    }
}
