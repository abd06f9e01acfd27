package dev.tributary.timeline;

import dev.tributary.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Both timeline plans again, on a real (embedded) PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class TimelinePlansPostgresTest extends TimelinePlansTest {
}
