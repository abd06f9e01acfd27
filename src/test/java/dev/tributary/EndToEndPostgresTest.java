package dev.tributary;

import dev.tributary.support.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The whole end-to-end scenario again, on a real (embedded) PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class EndToEndPostgresTest extends EndToEndTest {
}
