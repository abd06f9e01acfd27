package dev.tributary.store;

import dev.tributary.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The index upkeep again, on a real (embedded) PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class NearDuplicateIndexPostgresTest extends NearDuplicateIndexTest {
}
