package dev.tributary.feed;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** OPML import is idempotent and keeps folders and categories as tags; export gives them back. */
@QuarkusTest
class OpmlTest {

    @Test
    void importTwiceThenExport() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String opml = "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>mine</title></head><body>"
                + "<outline text=\"News\"><outline text=\"Wire " + run + "\" xmlUrl=\"https://wire.example/" + run + ".xml\"/>"
                + "<outline text=\"Tech\" xmlUrl=\"https://tech.example/" + run + ".xml\" category=\"/tech,/daily\"/></outline>"
                + "<outline text=\"Bad\" xmlUrl=\"ftp://nope.example/feed\"/>"
                + "</body></opml>";
        given().contentType("text/x-opml").body(opml).when().post("/api/opml").then().statusCode(200)
                .body("added", equalTo(2)).body("existing", equalTo(0)).body("refused.size()", equalTo(1));
        given().contentType("text/x-opml").body(opml).when().post("/api/opml").then().statusCode(200)
                .body("added", equalTo(0)).body("existing", equalTo(2));
        given().when().get("/api/feeds").then()
                .body("find { it.url == 'https://tech.example/" + run + ".xml' }.tags", equalTo(List.of("News", "daily", "tech")))
                .body("find { it.url == 'https://wire.example/" + run + ".xml' }.title", equalTo("Wire " + run));
        String exported = given().when().get("/api/opml").then().statusCode(200)
                .contentType(containsString("text/x-opml")).extract().asString();
        List<Opml.Outline> back = Opml.read(exported.getBytes(StandardCharsets.UTF_8));
        Opml.Outline tech = back.stream().filter(o -> o.url().equals("https://tech.example/" + run + ".xml")).findFirst()
                .orElseThrow();
        assertEquals(List.of("News", "daily", "tech"), tech.tags());
        given().when().get("/api/feeds").then().body("url", hasItem("https://wire.example/" + run + ".xml"));
    }

    @Test
    void aLargeImportCountsEveryOutlineAcrossTransactions() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder opml = new StringBuilder("<?xml version=\"1.0\"?><opml version=\"2.0\"><body>");
        int feeds = 2 * OpmlImport.PER_TRANSACTION + 50;
        for (int i = 0; i < feeds; i++) {
            opml.append("<outline text=\"F").append(i).append("\" xmlUrl=\"https://bulk.example/").append(run).append('/')
                    .append(i).append(".xml\"/>");
        }
        // The same feed again in a later transaction, and again in the same one; a refused URL in the middle.
        opml.append("<outline text=\"again\" xmlUrl=\"https://bulk.example/").append(run).append("/3.xml\"/>");
        opml.append("<outline text=\"again\" xmlUrl=\"https://bulk.example/").append(run).append("/")
                .append(feeds - 1).append(".xml\"/>");
        opml.append("<outline text=\"bad\" xmlUrl=\"file:///etc/passwd\"/></body></opml>");
        given().contentType("text/x-opml").body(opml.toString()).when().post("/api/opml").then().statusCode(200)
                .body("added", equalTo(feeds)).body("existing", equalTo(2)).body("refused.size()", equalTo(1));
        given().when().get("/api/feeds").then()
                .body("findAll { it.url.startsWith('https://bulk.example/" + run + "/') }.size()", equalTo(feeds));
    }
}
