package dev.tributary.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a token configured, writes need it; reads stay public. */
@QuarkusTest
@TestProfile(AuthTest.WithToken.class)
class AuthTest {

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tributary.auth.token", "s3cret-token");
        }
    }

    @Test
    void writesNeedTheBearerToken() {
        String body = "{\"url\":\"https://auth.example/feed\"}";
        given().contentType(ContentType.JSON).body(body).when().post("/api/feeds").then().statusCode(401)
                .contentType("application/problem+json").body("field", equalTo("Authorization"));
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON).body(body).when()
                .post("/api/feeds").then().statusCode(401);
        long id = given().header("Authorization", "Bearer s3cret-token").contentType(ContentType.JSON).body(body)
                .when().post("/api/feeds").then().statusCode(201).extract().jsonPath().getLong("id");
        given().when().delete("/api/feeds/" + id).then().statusCode(401);
        given().contentType("text/x-opml").body("<opml/>").when().post("/api/opml").then().statusCode(401);
        given().when().get("/api/feeds/" + id).then().statusCode(200);
        given().when().get("/feed.atom").then().statusCode(200);
        given().header("Authorization", "Bearer s3cret-token").when().delete("/api/feeds/" + id).then().statusCode(204);
    }
}
