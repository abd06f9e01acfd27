package dev.tributary.bench;

import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import com.rometools.rome.io.XmlReader;
import dev.tributary.parse.FeedParser;
import dev.tributary.parse.ParsedEntry;
import dev.tributary.parse.ParsedFeed;
import dev.tributary.parse.TextFingerprint;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;
import org.jdom2.input.SAXBuilder;
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
 * The parse floor: Rome's default path, a JDOM build and a StAX pass (the XML limit), Tributary's Rome step, and
 * Tributary's whole parse stage (Rome step, keys, sanitizing, canonical links) plus fingerprints, on the same bytes.
 * One operation parses one document; the write-up turns ops/s into MB/s and entries/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ParseBench {

    @Param({"rss", "atom"})
    public String format;

    @Param({"20", "200", "2000"})
    public int entries;

    byte[] bytes;
    final Instant now = Instant.parse("2026-11-27T00:00:00Z");
    final FeedParser parser = new FeedParser(Integer.MAX_VALUE);

    @Setup
    public void setup() {
        bytes = Documents.feed(format, 1, entries, 0).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public int romeDefault() throws Exception {
        SyndFeed feed = new SyndFeedInput().build(new XmlReader(new ByteArrayInputStream(bytes)));
        return feed.getEntries().size();
    }

    @Benchmark
    public int jdomBuild() throws Exception {
        return new SAXBuilder().build(new ByteArrayInputStream(bytes)).getRootElement().getContentSize();
    }

    @Benchmark
    public int staxPass() throws Exception {
        XMLStreamReader r = XMLInputFactory.newFactory().createXMLStreamReader(new ByteArrayInputStream(bytes));
        int events = 0;
        while (r.hasNext()) {
            r.next();
            events++;
        }
        return events;
    }

    @Benchmark
    public int tributaryRomeStep() throws Exception {
        return FeedParser.romeStep(bytes, "application/xml");
    }

    @Benchmark
    public int tributaryParseStage() throws Exception {
        ParsedFeed feed = parser.parse(bytes, "application/xml", "https://outlet1.example/feed", now);
        return feed.entries().size();
    }

    @Benchmark
    public int tributaryParseAndFingerprints() throws Exception {
        ParsedFeed feed = parser.parse(bytes, "application/xml", "https://outlet1.example/feed", now);
        int n = 0;
        for (ParsedEntry e : feed.entries()) {
            n += TextFingerprint.of(e.title(), e.content() != null ? e.content() : e.summary()).shingles().length;
        }
        return n;
    }
}
