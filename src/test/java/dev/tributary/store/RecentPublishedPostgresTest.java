package dev.tributary.store;

import dev.tributary.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The schedule's publication times on the feed row again, on a real (embedded) PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class RecentPublishedPostgresTest extends RecentPublishedTest {
}
