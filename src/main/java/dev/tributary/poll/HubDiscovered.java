package dev.tributary.poll;

/** A poll found that a feed announces a WebSub hub (in the document or in its Link header). */
public record HubDiscovered(long feedId, String hubUrl, String topicUrl) {
}
