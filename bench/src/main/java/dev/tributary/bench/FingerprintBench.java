package dev.tributary.bench;

import dev.tributary.parse.TextFingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One near-duplicate fingerprint ({@code TextFingerprint.of}) and its index keys, with the service's compiler (C1 only, as README sizes
 * the JVM), on: a feed-farm body (about 1.5 KB of HTML paragraphs, what the end-to-end runs ingest); the syndicated
 * fixture article (6.4 KB of plain text with a cloaked e-mail address); and a hostile body (20,000 letters without a
 * space, an '@' after them, then 5,000 '&' without a ';'), which must cost time in proportion to its length.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m", "-XX:TieredStopAtLevel=1"})
public class FingerprintBench {

    @Param({"farm", "fixture", "hostile"})
    public String text;

    private String body;

    @Setup
    public void setup() throws Exception {
        body = switch (text) {
            case "farm" -> Documents.body(new Random(7));
            case "fixture" -> Files.readString(Path.of("src/test/resources/articles/syndicated-article.txt"));
            default -> "x".repeat(20_000) + "! write to a@b.example " + "&".repeat(5_000);
        };
    }

    /**
     * What a poll worker does for a new entry and the committer then asks of it: the fingerprint and its index keys
     * (a first copy, which nothing is compared with, never sorts its shingles).
     */
    @Benchmark
    public long fingerprint() {
        TextFingerprint f = TextFingerprint.of("A headline of seven words for it", body);
        return f.matchable() ? f.indexKeys()[0] : 0;
    }
}
