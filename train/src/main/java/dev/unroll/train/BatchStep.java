package dev.unroll.train;

import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import java.util.Iterator;
import java.util.function.ToLongFunction;

/**
 * A {@link GradientStep} over batches from an iterator, as a PyTorch loop over a
 * {@code DataLoader}: each iteration takes the next batch, computes its loss (a scalar tensor)
 * and backpropagates it. On resume it draws and discards the batches the checkpoint had trained
 * on, so a seeded iterator continues where the interrupted run was.
 *
 * @param <B> the batch type
 */
public final class BatchStep<B> implements GradientStep {

    /** The loss of one batch. */
    @FunctionalInterface
    public interface BatchLoss<B> {
        /**
         * @param batch the batch
         * @return its scalar loss, recorded on the open tape
         */
        Tensor loss(B batch);
    }

    private final Iterator<B> batches;
    private final BatchLoss<B> loss;
    private final ToLongFunction<B> tokens;

    /**
     * @param batches the training batches; the iterator must not run out before the last iteration
     * @param loss the loss of one batch
     * @param tokens how many tokens (or examples) a batch holds, for the throughput
     */
    public BatchStep(Iterator<B> batches, BatchLoss<B> loss, ToLongFunction<B> tokens) {
        this.batches = batches;
        this.loss = loss;
        this.tokens = tokens;
    }

    @Override
    public Result compute(int iteration, Tape tape) {
        B batch = next(iteration);
        Tensor value = loss.loss(batch);
        tape.backward(value);
        return new Result(value.item(), tokens.applyAsLong(batch));
    }

    @Override
    public void resumeAt(int iterations) {
        for (int n = 0; n < iterations; n++) {
            next(n);
        }
    }

    private B next(int iteration) {
        if (!batches.hasNext()) {
            throw new IllegalStateException("BatchStep: the batches ran out at iteration " + iteration
                    + "; give an iterator with a batch for every iteration (e.g. cycle over epochs)");
        }
        return batches.next();
    }
}
