package dev.unroll.samples.common;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Saves a checkpoint when the program is interrupted (Ctrl-C): a shutdown hook waits until the
 * training loop is between iterations, then runs the save, so the checkpoint holds a consistent
 * state. The training loop wraps each iteration in {@link #iteration(Runnable)}.
 */
public final class SafeStop implements AutoCloseable {

    private final ReentrantLock lock = new ReentrantLock();
    private final Thread hook;
    private volatile boolean finished;

    /**
     * Registers the hook.
     *
     * @param save what to do on interruption (write a checkpoint)
     */
    public SafeStop(Runnable save) {
        hook = new Thread(() -> {
            lock.lock();
            try {
                if (!finished) {
                    save.run();
                }
            } finally {
                lock.unlock();
            }
        }, "save-on-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Runs one training iteration so that an interruption cannot save in the middle of it.
     *
     * @param body the iteration
     */
    public void iteration(Runnable body) {
        lock.lock();
        try {
            body.run();
        } finally {
            lock.unlock();
        }
    }

    /** Training ended normally: the hook will not save again. */
    @Override
    public void close() {
        finished = true;
        if (!Thread.currentThread().equals(hook)) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already shutting down: the hook runs, sees finished, and saves nothing.
                assert finished;
            }
        }
    }
}
