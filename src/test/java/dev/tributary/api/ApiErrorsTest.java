package dev.tributary.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every kind of bad request gets problem JSON naming the field at fault, never a 500 or a stack trace. */
@QuarkusTest
class ApiErrorsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"url\":\"not a url\"}                              | url",
        "{\"url\":\"ftp://example.com/feed\"}                 | url",
        "{\"url\":\"file:///etc/passwd\"}                     | url",
        "{\"url\":\"http://127.0.0.1.nip.invalid:99999/\"}    | url",
        "{\"title\":\"no url\"}                               | url",
        "{\"url\":\"https://example.com/f\",\"bogus\":1}      | bogus",
        "{\"url\":\"https://example.com/f\",\"tags\":\"news\"} | tags",
        "{\"url\":\"https://example.com/f\",\"tags\":[\"\"]}   | tags",
        "{\"url\":[1,2]}                                      | url",
        "{\"url\":                                            | body",
        "[]                                                   | ",
    })
    void badSubscriptionRequests(String body, String field) {
        var r = given().contentType(ContentType.JSON).body(body).when().post("/api/feeds").then()
                .statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("title", equalTo("Bad request"))
                .body(not(containsString("at dev.")));
        if (field != null) {
            r.body("field", equalTo(field));
        }
    }

    @Test
    void tenKilobyteUrlIsRefused() {
        given().contentType(ContentType.JSON).body("{\"url\":\"https://example.com/" + "a".repeat(10_000) + "\"}")
                .when().post("/api/feeds").then().statusCode(400).body("field", equalTo("url"))
                .body("detail", containsString("2048"));
    }

    @Test
    void oversizedBodyIs413() {
        given().contentType(ContentType.JSON).body("{\"url\":\"https://example.com/" + "a".repeat(1_100_000) + "\"}")
                .when().post("/api/feeds").then().statusCode(413).contentType("application/problem+json")
                .body("field", equalTo("body"));
    }

    @Test
    void unknownIdsAre404AndMalformedIds400() {
        given().when().get("/api/feeds/999999").then().statusCode(404).contentType("application/problem+json")
                .body("field", equalTo("id"));
        given().when().delete("/api/feeds/999999").then().statusCode(404);
        given().when().post("/api/feeds/999999/refresh").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"paused\":true}").when().patch("/api/feeds/999999").then()
                .statusCode(404);
        given().when().get("/api/feeds/abc").then().statusCode(400).body("field", equalTo("id"));
        given().when().get("/api/stories/999999").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"paused\":\"maybe\"}").when().patch("/api/feeds/1").then()
                .statusCode(400).body("field", equalTo("paused"));
    }

    @ParameterizedTest
    @CsvSource({"limit,0", "limit,201", "limit,ten", "cursor,garbage", "cursor,djE6eDox", "since,yesterday", "feed,x"})
    void badTimelineParameters(String name, String value) {
        given().queryParam(name, value).when().get("/api/timeline").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo(name));
    }

    @Test
    void badOutputParametersAndStatusFilter() {
        given().queryParam("limit", "0").when().get("/feed.atom").then().statusCode(400).body("field", equalTo("limit"));
        given().queryParam("status", "weird").when().get("/api/feeds").then().statusCode(400).body("field", equalTo("status"));
    }

    @Test
    void badOpmlIsRefused() {
        given().contentType("text/x-opml").body("<html>nope</html>").when().post("/api/opml").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("body"));
        given().contentType("text/x-opml").body("<?xml version=\"1.0\"?><!DOCTYPE opml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<opml version=\"2.0\"><body><outline text=\"&x;\" xmlUrl=\"https://e.example/&x;\"/></body></opml>")
                .when().post("/api/opml").then().statusCode(400);
    }
}
