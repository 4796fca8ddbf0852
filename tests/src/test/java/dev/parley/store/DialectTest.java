package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which dialect a driver's product name gives, and what each says about sharing and scripts. */
class DialectTest {

    @Test
    void theProductNameChoosesTheDialectAndAnyOtherDatabaseGetsTheStandardOne() {
        assertEquals(Dialect.H2, Dialect.of("H2"));
        assertEquals(Dialect.POSTGRESQL, Dialect.of("PostgreSQL"));
        assertEquals(Dialect.DERBY, Dialect.of("Apache Derby"));
        assertEquals(Dialect.STANDARD, Dialect.of("MariaDB"));
    }

    @Test
    void derbyHasScriptsOfItsOwnAndTheOthersShareOneSet() {
        assertEquals("classpath:db/derby", Dialect.DERBY.scripts());
        for (Dialect other : new Dialect[] {Dialect.H2, Dialect.POSTGRESQL, Dialect.STANDARD}) {
            assertEquals("classpath:db/migration", other.scripts(), other.name());
        }
    }

    /** An embedded file is one process's; a database server, or Derby's network server, can be shared. */
    @Test
    void onlyADatabaseServerIsShareable() {
        assertFalse(Dialect.H2.shareable("jdbc:h2:tcp://db:9092/parley"));
        assertFalse(Dialect.DERBY.shareable("jdbc:derby:/var/parley/db"));
        assertTrue(Dialect.DERBY.shareable("jdbc:derby://db:1527/parley"));
        assertTrue(Dialect.POSTGRESQL.shareable("jdbc:postgresql://db/parley"));
        assertTrue(Dialect.STANDARD.shareable("jdbc:mariadb://db/parley"));
    }
}
