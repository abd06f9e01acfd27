package dev.tributary.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tributary.api.FeedResource;
import dev.tributary.api.OpmlResource;
import dev.tributary.api.OutputResource;
import dev.tributary.api.TimelineResource;
import dev.tributary.api.WebSubResource;
import dev.tributary.poll.PollScheduler;
import dev.tributary.support.FeedServer;
import dev.tributary.support.Fixtures;
import dev.tributary.support.Polls;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Health, metrics and the OpenAPI document, as an orchestrator, Prometheus and an API user see them. */
@QuarkusTest
class OpsTest {

    @Inject
    PollScheduler scheduler;

    @Test
    void healthIsUpAndReportsTheBacklog() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("poller"))
                .body("checks.find { it.name == 'poller' }.data.dueFeeds", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void metricsCountPollsEntriesAndOutputRequests() throws Exception {
        double pollsBefore = metric("tributary_polls_total{outcome=\"ok\"}");
        double storedBefore = metric("tributary_entries_stored_total");
        double notModifiedBefore = metric("tributary_polls_total{outcome=\"not_modified\"}");
        double output304Before = metric("tributary_output_requests_total{format=\"atom\",status=\"304\"}");
        try (FeedServer server = new FeedServer()) {
            String path = "/" + UUID.randomUUID() + "/m.xml";
            server.serve(path, Fixtures.feedWithItems(0, 7), "application/rss+xml");
            long id = given().contentType(ContentType.JSON).body(Map.of("url", server.url(path))).when()
                    .post("/api/feeds").then().statusCode(201).extract().jsonPath().getLong("id");
            Polls.runDue(scheduler);
            given().when().post("/api/feeds/" + id + "/refresh").then().statusCode(200);
        }
        assertEquals(pollsBefore + 1, metric("tributary_polls_total{outcome=\"ok\"}"));
        assertEquals(notModifiedBefore + 1, metric("tributary_polls_total{outcome=\"not_modified\"}"));
        assertEquals(storedBefore + 7, metric("tributary_entries_stored_total"));
        String etag = given().when().get("/feed.atom").then().statusCode(200).extract().header("ETag");
        given().header("If-None-Match", etag).when().get("/feed.atom").then().statusCode(304);
        assertEquals(output304Before + 1, metric("tributary_output_requests_total{format=\"atom\",status=\"304\"}"));
        String scrape = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("tributary_fetch_duration_seconds_count", "tributary_fetch_bytes_total",
                "tributary_entries_duplicates_total", "tributary_stories_merged_total", "tributary_due_feeds",
                "tributary_due_oldest_age_seconds", "tributary_erroring_feeds")) {
            assertTrue(scrape.contains(name), name + " is exported");
        }
    }

    @Test
    void everyResourceMethodIsInTheOpenApiDocument() {
        JsonPath doc = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        List<String> missing = new ArrayList<>();
        for (Class<?> resource : List.of(FeedResource.class, TimelineResource.class, OpmlResource.class, OutputResource.class,
                WebSubResource.class)) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method m : resource.getDeclaredMethods()) {
                String verb = verb(m);
                if (verb == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String full = ("/" + base + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/");
                if (full.length() > 1 && full.endsWith("/")) {
                    full = full.substring(0, full.length() - 1);
                }
                Map<String, Object> ops = paths.get(full);
                if (ops == null || !ops.containsKey(verb)) {
                    missing.add(verb + " " + full);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    private static String verb(Method m) {
        for (Class<? extends Annotation> a : List.of(GET.class, POST.class, PUT.class, PATCH.class, DELETE.class)) {
            if (m.isAnnotationPresent(a)) {
                return a.getSimpleName().toLowerCase();
            }
        }
        return null;
    }

    private static double metric(String series) {
        String scrape = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
