package dev.unroll.train.parallel;

import dev.unroll.autograd.Tape;
import dev.unroll.nn.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A data-parallel training step on the threads of one machine, as PyTorch's
 * {@code DistributedDataParallel} on one host: the global batch is split into shards, and each
 * shard runs forward and backward on its own replica of the model, on its own thread, recording
 * on its own tape (cleared after every step, so its storage is recycled). The shards' gradients,
 * losses and item counts are then summed in shard order and their mean added into the model's
 * gradients; the caller clips and steps its optimizer on the model as after a single backward.
 *
 * <pre>{@code
 * try (DataParallel<LanguageModel> parallel = DataParallel.onThreads(model, () -> LanguageModel.lstm(...), 2)) {
 *     model.zeroGrad();
 *     double loss = parallel.step((replica, shard, shards) -> {
 *         int[][] x = columns(inputs, shard, shards), y = columns(targets, shard, shards);
 *         return new ShardLoss.Result(replica.loss(x, y, null, Reduction.SUM).loss(), x.length * x[0].length);
 *     });
 *     GradClipping.clipGradNorm(model.parameters(), 5);
 *     adam.step();
 * }
 * }</pre>
 *
 * <p>Same seed, same bits for a given number of shards: a shard's work does not depend on the
 * others, and the sum is taken in a fixed order whatever the timing. (A different number of
 * shards groups the sum differently, so its last bits differ.) A shard that fails fails the
 * whole step, before anything is added to the model. The model itself is never recorded on; the
 * replicas are set from it at the start of every step, so an optimizer, a schedule or a
 * checkpoint only ever deals with the model.
 *
 * @param <M> the model type
 */
public final class DataParallel<M extends Module> implements AutoCloseable {

    private final M model;
    private final List<M> replicas;
    private final List<ShardThread> threads;
    private boolean closed;

    private DataParallel(M model, List<M> replicas) {
        this.model = model;
        this.replicas = replicas;
        this.threads = new ArrayList<>();
        for (int s = 0; s < replicas.size(); s++) {
            threads.add(new ShardThread(s));
        }
    }

    /**
     * Prepares {@code shards} replicas of {@code model} and a thread for each.
     *
     * @param model the model to train
     * @param factory builds a model of the same structure (its initial values do not matter: each
     *     step copies the model's parameters into it); called once per shard
     * @param shards how many shards to split each batch into, at least 1
     * @param <M> the model type
     * @return the engine; close it to stop its threads
     */
    public static <M extends Module> DataParallel<M> onThreads(M model, Supplier<? extends M> factory, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("DataParallel: " + shards + " shards; use at least 1");
        }
        List<M> replicas = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            M replica = factory.get();
            if (replica == model) {
                throw new IllegalArgumentException("DataParallel: the factory returned the model itself; it must build "
                        + "a new replica each time (a model shared by two threads' tapes would mix their gradients)");
            }
            replica.to(model.dtype());
            ParameterValues.of(model).copyInto(replica);
            replicas.add(replica);
        }
        return new DataParallel<>(model, replicas);
    }

    /** @return the number of shards each batch is split into */
    public int shards() {
        return replicas.size();
    }

    /**
     * Runs one step: sets every replica from the model, computes every shard's loss and
     * gradients on its thread, and adds the mean gradient over all shards' items into the
     * model's gradients (zero them first, as before a backward pass).
     *
     * @param loss the loss of one shard
     * @return the mean loss over all shards' items
     * @throws IllegalStateException when a shard fails (naming it); the model is then unchanged
     */
    public double step(ShardLoss<M> loss) {
        if (closed) {
            throw new IllegalStateException("DataParallel: closed; build a new one");
        }
        ParameterValues values = ParameterValues.of(model);
        List<Future<ShardGradients>> results = new ArrayList<>();
        for (int s = 0; s < replicas.size(); s++) {
            M replica = replicas.get(s);
            ShardThread thread = threads.get(s);
            replica.train(model.isTraining());
            results.add(thread.submit(() -> thread.run(replica, values, loss)));
        }
        ShardGradients total = null;
        RuntimeException failure = null;
        for (int s = 0; s < results.size(); s++) {
            try {
                ShardGradients g = results.get(s).get();
                total = total == null ? g : total.add(g);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = new IllegalStateException("DataParallel: shard " + s + " failed: " + e.getCause().getMessage()
                            + "; nothing was added to the model's gradients", e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("DataParallel: interrupted while waiting for shard " + s, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        total.addMeanTo(model);
        return total.meanLoss();
    }

    /** Stops the shards' threads (closing their tapes). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (ShardThread t : threads) {
                t.shutdown();
            }
        }
    }

    /** One shard's thread and the tape it records on, cleared after every step. */
    private final class ShardThread {
        private final ExecutorService executor;
        private final int shard;
        private Tape tape;

        ShardThread(int shard) {
            this.shard = shard;
            this.executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "unroll-shard-" + shard);
                t.setDaemon(true);
                return t;
            });
        }

        Future<ShardGradients> submit(java.util.concurrent.Callable<ShardGradients> task) {
            return executor.submit(task);
        }

        /** On this shard's thread: one forward and backward of the shard's loss on its replica. */
        ShardGradients run(M replica, ParameterValues values, ShardLoss<M> loss) {
            if (tape == null) {
                tape = Tape.record();
            }
            try {
                values.copyInto(replica);
                replica.zeroGrad();
                ShardLoss.Result r = loss.compute(replica, shard, replicas.size());
                tape.backward(r.lossSum());
                double lossSum = r.lossSum().item();
                return ShardGradients.of(replica, lossSum, r.count());
            } finally {
                tape.clear();
            }
        }

        void shutdown() {
            executor.submit(() -> {
                if (tape != null) {
                    tape.close();
                }
            });
            executor.shutdown();
        }
    }
}
