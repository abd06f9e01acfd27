package dev.tributary.push;

import dev.tributary.TributaryConfig;
import dev.tributary.fetch.FeedFetcher;
import dev.tributary.fetch.FetchException;
import dev.tributary.parse.FeedParseException;
import dev.tributary.poll.FeedPoller;
import dev.tributary.poll.HubDiscovered;
import dev.tributary.store.FeedStore;
import dev.tributary.store.FeedView;
import dev.tributary.store.WebSubStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * The WebSub subscriber: subscribes to the hub a feed announces (when {@code tributary.public-url} says where hubs
 * can reach us), answers the hub's verification, accepts only content signed with the subscription's secret and
 * stores it through the poll path, renews before the lease ends, and unsubscribes when the feed is deleted.
 */
@ApplicationScoped
public class WebSubscriber {

    private static final Logger LOG = Logger.getLogger(WebSubscriber.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebSubStore subscriptions;
    private final FeedStore feeds;
    private final FeedFetcher fetcher;
    private final FeedPoller poller;
    private final Optional<String> publicUrl;
    private final Duration lease;

    public WebSubscriber(WebSubStore subscriptions, FeedStore feeds, FeedFetcher fetcher, FeedPoller poller,
            TributaryConfig config) {
        this.subscriptions = subscriptions;
        this.feeds = feeds;
        this.fetcher = fetcher;
        this.poller = poller;
        this.publicUrl = config.publicUrl().map(u -> u.replaceAll("/+$", ""));
        this.lease = config.push().lease();
    }

    void onHub(@ObservesAsync HubDiscovered hub) {
        if (publicUrl.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        Optional<WebSubStore.Subscription> current = subscriptions.find(hub.feedId());
        boolean same = current.filter(s -> s.hubUrl().equals(hub.hubUrl()) && s.topicUrl().equals(hub.topicUrl()))
                .isPresent();
        boolean fresh = current.filter(s -> WebSubStore.PENDING.equals(s.state())
                ? s.requestedAt().isAfter(now.minus(Duration.ofHours(1)))
                : s.leaseUntil() != null && s.leaseUntil().isAfter(now.plus(Duration.ofHours(1)))).isPresent();
        if (!same || !fresh) {
            subscribe(hub.feedId(), hub.hubUrl(), hub.topicUrl());
        }
    }

    /** Sends a subscription request; the hub then verifies it with a GET to our callback. */
    public void subscribe(long feedId, String hub, String topic) {
        WebSubStore.Subscription s = subscriptions.request(feedId, hub, topic, random(32), random(16), Instant.now());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("hub.mode", "subscribe");
        form.put("hub.topic", topic);
        form.put("hub.callback", callback(s));
        form.put("hub.secret", s.secret());
        form.put("hub.lease_seconds", Long.toString(lease.toSeconds()));
        send(feedId, hub, form);
    }

    /** Asks the hub to stop; the row stays until the hub verifies the unsubscription. */
    public void unsubscribe(long feedId) {
        Optional<WebSubStore.Subscription> s = subscriptions.find(feedId);
        if (s.isEmpty() || publicUrl.isEmpty()) {
            s.ifPresent(x -> subscriptions.remove(feedId));
            return;
        }
        subscriptions.markUnsubscribing(feedId);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("hub.mode", "unsubscribe");
        form.put("hub.topic", s.get().topicUrl());
        form.put("hub.callback", callback(s.get()));
        send(feedId, s.get().hubUrl(), form);
    }

    private void send(long feedId, String hub, Map<String, String> form) {
        try {
            int status = fetcher.postForm(hub, form);
            if (status / 100 != 2) {
                LOG.warnf("hub refused %s feed_id=%d hub=%s status=%d", form.get("hub.mode"), feedId, hub, status);
            }
        } catch (FetchException e) {
            LOG.warnf("hub unreachable feed_id=%d hub=%s error=\"%s\"", feedId, hub, e.getMessage());
        }
    }

    /**
     * The hub's verification of intent: the challenge to echo when it matches a request we made, else empty.
     */
    public Optional<String> verify(long feedId, String token, String mode, String topic, String challenge,
            String leaseSeconds) {
        Optional<WebSubStore.Subscription> s = subscriptions.find(feedId)
                .filter(x -> MessageDigest.isEqual(x.callbackToken().getBytes(StandardCharsets.UTF_8),
                        token.getBytes(StandardCharsets.UTF_8)))
                .filter(x -> x.topicUrl().equals(topic));
        if (s.isEmpty() || challenge == null || challenge.isEmpty()) {
            return Optional.empty();
        }
        if ("subscribe".equals(mode) && !WebSubStore.UNSUBSCRIBING.equals(s.get().state())) {
            long seconds;
            try {
                seconds = leaseSeconds == null ? lease.toSeconds() : Long.parseLong(leaseSeconds.trim());
            } catch (NumberFormatException e) {
                seconds = lease.toSeconds();
            }
            subscriptions.activate(feedId, Instant.now().plusSeconds(Math.max(60, seconds)));
            LOG.infof("push active feed_id=%d hub=%s lease_seconds=%d", feedId, s.get().hubUrl(), seconds);
            return Optional.of(challenge);
        }
        if ("unsubscribe".equals(mode) && WebSubStore.UNSUBSCRIBING.equals(s.get().state())) {
            subscriptions.remove(feedId);
            return Optional.of(challenge);
        }
        return Optional.empty();
    }

    /** What became of a pushed document. */
    public enum Delivery { STORED, UNKNOWN_SUBSCRIPTION, BAD_SIGNATURE, NOT_A_FEED }

    /** A content distribution: stored only when signed with the subscription's secret. */
    public Delivery deliver(long feedId, String token, byte[] body, String contentType, String signature) {
        Optional<WebSubStore.Subscription> s = subscriptions.find(feedId)
                .filter(x -> !WebSubStore.UNSUBSCRIBING.equals(x.state()))
                .filter(x -> MessageDigest.isEqual(x.callbackToken().getBytes(StandardCharsets.UTF_8),
                        token.getBytes(StandardCharsets.UTF_8)));
        Optional<FeedView> feed = feeds.find(feedId);
        if (s.isEmpty() || feed.isEmpty()) {
            return Delivery.UNKNOWN_SUBSCRIPTION;
        }
        if (!signatureMatches(s.get().secret(), body, signature)) {
            LOG.warnf("push with a bad signature refused feed_id=%d", feedId);
            return Delivery.BAD_SIGNATURE;
        }
        try {
            int added = poller.ingestPushed(feedId, feed.get().url(), body, contentType);
            LOG.debugf("push stored feed_id=%d new_entries=%d", feedId, added);
            return Delivery.STORED;
        } catch (FeedParseException e) {
            LOG.infof("push not a feed feed_id=%d error=\"%s\"", feedId, e.getMessage());
            return Delivery.NOT_A_FEED;
        }
    }

    /** {@code X-Hub-Signature: method=hex}, HMAC of the body with the secret (sha1, sha256, sha384, sha512). */
    static boolean signatureMatches(String secret, byte[] body, String header) {
        if (header == null || !header.contains("=")) {
            return false;
        }
        String method = header.substring(0, header.indexOf('=')).trim().toLowerCase(Locale.ROOT);
        String algorithm = switch (method) {
            case "sha1" -> "HmacSHA1";
            case "sha256" -> "HmacSHA256";
            case "sha384" -> "HmacSHA384";
            case "sha512" -> "HmacSHA512";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            byte[] expected = mac.doFinal(body);
            byte[] given = HexFormat.of().parseHex(header.substring(header.indexOf('=') + 1).trim().toLowerCase(Locale.ROOT));
            return MessageDigest.isEqual(expected, given);
        } catch (NoSuchAlgorithmException | InvalidKeyException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Renews leases that end within a day, and retries requests a hub never verified. */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renew() {
        if (publicUrl.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        for (WebSubStore.Subscription s : subscriptions.dueForRenewal(now.plus(Duration.ofDays(1)), now.minus(Duration.ofHours(6)))) {
            subscribe(s.feedId(), s.hubUrl(), s.topicUrl());
        }
    }

    private String callback(WebSubStore.Subscription s) {
        return publicUrl.orElseThrow() + "/websub/" + s.feedId() + "/" + s.callbackToken();
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
