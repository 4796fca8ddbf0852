package dev.parley.standalone;

import java.util.logging.LogManager;

/**
 * The standalone server's {@link LogManager}. JUL's own resets (closes every handler) in
 * a shutdown hook of its own, which runs beside Parley's, so what Parley logs while it
 * stops (the stop line, the store's last commit) would find no handler. This one leaves
 * that reset to the end of Parley's hook ({@link #resetAtLast}). {@code Main} names it in
 * {@code java.util.logging.manager} before the first logger is made.
 */
public final class ParleyLogManager extends LogManager {
    /** The thread JUL's shutdown hook runs on (a private class of LogManager). */
    private static final String JUL_SHUTDOWN_HOOK = LogManager.class.getName() + "$Cleaner";

    @Override
    public void reset() {
        if (!Thread.currentThread().getClass().getName().equals(JUL_SHUTDOWN_HOOK)) {
            super.reset();
        }
    }

    /** The end of Parley's shutdown hook: the handlers are closed now. */
    static void resetAtLast() {
        if (LogManager.getLogManager() instanceof ParleyLogManager manager) {
            manager.resetNow();
        }
    }

    private void resetNow() {
        super.reset();
    }
}
