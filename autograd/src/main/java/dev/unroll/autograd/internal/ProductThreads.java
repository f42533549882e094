package dev.unroll.autograd.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * threads is {@code -Dunroll.threads} (default: the available processors).
 *
 * <p>The first worker also takes jobs that need not finish before the caller goes on
 * ({@link #later}): a backward pass's weight-gradient products, which nothing on the pass's
 * critical path reads. It runs them one at a time in the order given, before helping with a
 * product, so while it does the caller's products run on the caller alone. Internal.
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

    /** Jobs for the first worker, in the order given ({@link #later}). */
    private static final Queue<Runnable> LATER = new ConcurrentLinkedQueue<>();

    private ProductThreads() {
    }

    /** @return the number of threads a large product runs on, the caller included */
    static int threads() {
        return WORKERS.length + 1;
    }

    /**
     * Computes every chunk of {@code job}, on this thread and on idle workers when the job is large.
     * A chunk may itself run a job (a product inside a chunk): that one is computed alone by the
     * thread running the chunk, as on a worker, since the workers are taken. Sharing it instead
     * would replace the outer job in a worker's mailbox and leave the caller waiting for ever.
     *
     * @param job the job
     * @param chunks the number of chunks
     * @param work the job's multiply-adds, to decide whether workers pay
     */
    static void run(Chunked job, int chunks, long work) {
        if (WORKERS.length == 0 || chunks < 2 || work < PARALLEL_WORK || Thread.currentThread() instanceof Worker
                || IN_USE.isHeldByCurrentThread() || !IN_USE.tryLock()) {
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

    /**
     * Runs {@code job} on the first worker after every job given before it, while the caller
     * goes on; at once on the caller when there is no worker. The job reports its own outcome
     * (it must not throw), and a product it runs is computed on that worker alone.
     *
     * @param job the job
     */
    static void later(Runnable job) {
        if (WORKERS.length == 0) {
            job.run();
            return;
        }
        LATER.add(job);
        LockSupport.unpark(WORKERS[0]);
    }

    private static Worker[] startWorkers(int count) {
        Worker[] workers = new Worker[Math.max(0, count)];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker("unroll-products-" + (w + 1), w == 0);
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
            if (f != null) {
                rethrow(f);
            }
        }
    }

    /**
     * Throws, on the thread that waited for it, what a job threw on a worker.
     *
     * @param failure a RuntimeException or an Error, as the job caught it
     */
    static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        throw (Error) failure;
    }

    /**
     * A daemon thread that sleeps until it is offered a job, helps with it, and sleeps again; the
     * first one runs the {@link #later} jobs too, before anything else.
     */
    private static final class Worker extends Thread {
        private final AtomicReference<Shared> mailbox = new AtomicReference<>();
        private final boolean takesLater;

        Worker(String name, boolean takesLater) {
            super(name);
            this.takesLater = takesLater;
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
                Runnable later = takesLater ? LATER.poll() : null;
                if (later != null) {
                    later.run();
                    continue;
                }
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
