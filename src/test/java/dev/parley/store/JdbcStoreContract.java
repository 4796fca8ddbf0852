package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.Rooms;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The contract, plus what only a database gives: history that outlives the store. */
public abstract class JdbcStoreContract extends HistoryStoreContract {

    protected abstract DataSource database();

    @Override
    protected HistoryStore create(int keep) {
        return new JdbcHistoryStore(database(), keep);
    }

    @Test
    void aStoreOpenedAgainOnTheSameDatabaseHasTheHistoryAndContinuesTheSeq() throws Exception {
        String room = Rooms.fresh();
        HistoryStore first = open(0);
        append(first, room, 1, 30);
        first.close();
        HistoryStore second = open(0);
        assertEquals(30, second.lastSeq(room));
        append(second, room, 31, 31);
        assertEquals(range(1, 31), seqs(second.after(room, 0, 1000).orElseThrow()));
    }
}
