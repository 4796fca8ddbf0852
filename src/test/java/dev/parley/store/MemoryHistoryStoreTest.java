package dev.parley.store;

/** The contract on the in-memory store. */
class MemoryHistoryStoreTest extends HistoryStoreContract {
    @Override
    protected HistoryStore create(int keep) {
        return new MemoryHistoryStore(keep);
    }
}
