package dev.unroll.train;

import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import java.util.Map;

/**
 * One training iteration up to its gradients: draws the iteration's data, records the loss on
 * the trainer's tape and backpropagates it. The {@link Trainer} zeroes the gradients before,
 * clears the tape, clips and steps the optimizer after, so a step is only the model-specific
 * part. Built-in steps: {@link BatchStep} (batches from an iterator) and {@link StreamTbpttStep}
 * (truncated BPTT over {@link dev.unroll.rnn.tbptt.ParallelStreams}).
 */
@FunctionalInterface
public interface GradientStep {

    /**
     * Computes the gradients of one iteration.
     *
     * @param iteration the iteration's number, from 0 over the whole (resumed) run
     * @param tape the trainer's open tape: record the loss on it and call {@code tape.backward(loss)}
     *     (a data-parallel step may leave it empty, its replicas record on their own tapes)
     * @return the iteration's loss and how many tokens (or examples) it processed
     */
    Result compute(int iteration, Tape tape);

    /**
     * Puts the data where an uninterrupted run would be after {@code iterations} iterations, when
     * a run resumes from a checkpoint. The default does nothing: right for data chosen from the
     * iteration number alone; a step drawing from a stream of batches skips that many.
     *
     * @param iterations the iterations the checkpoint had done
     */
    default void resumeAt(int iterations) {
    }

    /**
     * What the step carries from iteration to iteration besides the data position (e.g. the
     * state truncated BPTT carries), saved as tensors in each checkpoint
     * ({@code Checkpoint.save(..., carried)}) so a resumed run continues exactly. The default
     * carries nothing.
     *
     * @return tensors by keys of the step's own
     */
    default Map<String, Tensor> carried() {
        return Map.of();
    }

    /**
     * Restores what {@link #carried()} saved, when a run resumes (after {@link #resumeAt}).
     *
     * @param carried the checkpoint's carried tensors; empty when it holds none
     */
    default void restore(Map<String, Tensor> carried) {
    }

    /**
     * What one iteration measured.
     *
     * @param loss its training loss (the figure logged and averaged)
     * @param tokens how many tokens (or examples) it processed, for the throughput
     */
    record Result(double loss, long tokens) {
    }
}
