package dev.unroll.autograd.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads that share a large product's chunks with the thread that asked for it. The caller
 * always works too; idle workers sleep (parked, never spinning), and are woken for a product big
 * enough to pay for the wake-up. Chunks are taken from a shared counter, so a worker on a busy
 * core simply takes fewer; a worker that has not woken by the time the caller ran out of chunks
 * is called off instead of waited for, so a run beside other work degrades to the caller's own
 * speed and never below it. Which thread computes a chunk never changes its result. The number of
 * threads is {@code -Dunroll.threads} (default: the available processors). Internal.
 */
final class ProductThreads {

    /** A job split into independent chunks. */
    interface Chunked {
        /** @param chunk the chunk to compute, in [0, chunks) */
        void compute(int chunk);
    }

    /** Multiply-adds from which waking a worker pays (a wake-up costs some microseconds). */
    static final long PARALLEL_WORK = 1L << 20;

    private static final Worker[] WORKERS = startWorkers(Integer.getInteger("unroll.threads",
            Runtime.getRuntime().availableProcessors()) - 1);

    /** One product at a time uses the workers; a second caller meanwhile computes alone. */
    private static final ReentrantLock IN_USE = new ReentrantLock();

    private ProductThreads() {
    }

    /** @return the number of threads a large product runs on, the caller included */
    static int threads() {
        return WORKERS.length + 1;
    }

    /**
     * Computes every chunk of {@code job}, on this thread and on idle workers when the job is large.
     *
     * @param job the job
     * @param chunks the number of chunks
     * @param work the job's multiply-adds, to decide whether workers pay
     */
    static void run(Chunked job, int chunks, long work) {
        if (WORKERS.length == 0 || chunks < 2 || work < PARALLEL_WORK || !IN_USE.tryLock()) {
            for (int i = 0; i < chunks; i++) {
                job.compute(i);
            }
            return;
        }
        try {
            Shared shared = new Shared(job, chunks, Thread.currentThread());
            int helpers = Math.min(WORKERS.length, chunks - 1);
            for (int w = 0; w < helpers; w++) {
                WORKERS[w].offer(shared);
            }
            shared.work();
            for (int w = 0; w < helpers; w++) {
                if (WORKERS[w].withdraw(shared)) {
                    shared.finished();
                }
            }
            shared.awaitHelpers(helpers);
        } finally {
            IN_USE.unlock();
        }
    }

    private static Worker[] startWorkers(int count) {
        Worker[] workers = new Worker[Math.max(0, count)];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker("unroll-products-" + (w + 1));
            workers[w].start();
        }
        return workers;
    }

    /** A job being computed: its next chunk, and how many helpers are done with it. */
    private static final class Shared {
        private final Chunked job;
        private final int chunks;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private volatile Throwable failure;

        Shared(Chunked job, int chunks, Thread caller) {
            this.job = job;
            this.chunks = chunks;
            this.caller = caller;
        }

        /** Computes chunks until none is left, remembering the first failure. */
        void work() {
            for (int i = next.getAndIncrement(); i < chunks; i = next.getAndIncrement()) {
                try {
                    job.compute(i);
                } catch (RuntimeException | Error e) {
                    failure = e;
                    next.set(chunks);
                }
            }
        }

        /** One helper is done (or was called off); wakes the caller. */
        void finished() {
            done.incrementAndGet();
            LockSupport.unpark(caller);
        }

        void awaitHelpers(int helpers) {
            while (done.get() < helpers) {
                LockSupport.park(this);
            }
            Throwable f = failure;
            if (f instanceof RuntimeException) {
                throw (RuntimeException) f;
            }
            if (f != null) {
                throw (Error) f;
            }
        }
    }

    /** A daemon thread that sleeps until it is offered a job, helps with it, and sleeps again. */
    private static final class Worker extends Thread {
        private final AtomicReference<Shared> mailbox = new AtomicReference<>();

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void offer(Shared shared) {
            mailbox.set(shared);
            LockSupport.unpark(this);
        }

        /** @return true when the job was still in the mailbox, so this worker never touched it */
        boolean withdraw(Shared shared) {
            return mailbox.compareAndSet(shared, null);
        }

        @Override
        public void run() {
            while (true) {
                Shared shared = mailbox.get();
                if (shared == null) {
                    LockSupport.park(this);
                } else if (mailbox.compareAndSet(shared, null)) {
                    shared.work();
                    shared.finished();
                }
            }
        }
    }
}
