package dev.unroll.train;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Saves a checkpoint when the program is interrupted (Ctrl-C). The shutdown hook only raises a
 * stop flag and then waits, at most a given time, for a latch; the training loop checks the flag
 * at every iteration boundary, and once it sees it (or once training ends) it saves and calls
 * {@link #saved()}, which releases the hook, after which the JVM exits. The hook never takes a
 * lock the loop holds, so it cannot starve, and the save always runs on the training thread with
 * the model in a consistent state.
 */
public final class SafeStop implements AutoCloseable {

    private final CountDownLatch saved = new CountDownLatch(1);
    private final Duration patience;
    private final Thread hook;
    private volatile boolean stopRequested;

    /**
     * Registers the shutdown hook.
     *
     * @param patience how long the hook waits for the training loop to save before letting the JVM exit
     */
    public SafeStop(Duration patience) {
        this.patience = patience;
        hook = new Thread(this::stopAndAwaitSave, "save-on-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * What the shutdown hook runs (callable directly, e.g. by a test): asks the training loop to
     * stop at the next iteration boundary and waits until it has saved.
     *
     * @return whether the loop saved within the patience
     */
    public boolean stopAndAwaitSave() {
        stopRequested = true;
        try {
            return saved.await(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return whether an interruption asked the loop to stop */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** The training loop has written its checkpoint: a waiting (or later) hook returns at once. */
    public void saved() {
        saved.countDown();
    }

    /** Training is over: unregisters the hook (unless the JVM is already running it). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: the loop has called saved(), so it returns at once
            saved.countDown();
        }
    }
}
