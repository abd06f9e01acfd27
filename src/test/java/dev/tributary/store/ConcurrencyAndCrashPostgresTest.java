package dev.tributary.store;

import dev.tributary.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The race and crash tests again on a real (embedded) PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class ConcurrencyAndCrashPostgresTest extends ConcurrencyAndCrashTest {
}
