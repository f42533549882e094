package dev.unroll.autograd;

import dev.unroll.autograd.internal.ProductsF64;
import dev.unroll.autograd.internal.ResidentSumF64;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * The weight gradients dW += g^T x of a backward pass, gathered per weight and computed in few
 * products. A recurrent weight used at T timesteps receives T such updates of a few rows each
 * (g is batch x out); each alone streams the whole of dW through the cache for little work. Here
 * the rows of g and x of the steps are stacked, and one product G^T X adds up to 256 of them: at
 * hidden 100 and batch 1 that turns 25 rank-one updates into one product with a depth of 25.
 *
 * <p>Only leaves (parameters) are deferred, since nothing reads a leaf's gradient before the
 * backward pass ends; {@link #finish()} adds everything before {@link Tape#backward} returns.
 * Backward in the tape's checking mode does not defer, so a non-finite gradient is reported at
 * the op that produced it. The products run on a worker while the pass goes on
 * ({@link ResidentSumF64#accumulateLater}), in the order gathered, and between them a weight's
 * gradient may stay in native memory; the weight is told ({@link Tensor#holdGradient}), so
 * anything that reaches for that gradient before {@link #finish()} waits for them and gets it
 * written back first. Each tape owns one (per precision) and keeps its buffers between passes.
 * Internal to the engine.
 */
final class WeightGradientsF64 {

    /** Rows of g from which an update is large enough to run at once. */
    private static final int DIRECT_ROWS = 64;

    /** Stacked rows per weight before the product runs; bounds the staging memory. */
    private static final int CAPACITY_ROWS = 256;

    /** Staging buffers, kept between passes so a training loop reuses them. */
    private final List<Stage> stages = new ArrayList<>();

    private boolean gathering;

    /**
     * Starts a backward pass.
     *
     * @param gather whether to defer leaf updates (not in the tape's checking mode)
     */
    void open(boolean gather) {
        gathering = gather;
    }

    /**
     * {@code weight.grad += g^T x}: deferred when this pass gathers, {@code weight} is a leaf and
     * g has few rows; otherwise computed at once.
     *
     * @param weight the weight, out x in
     * @param g the gradient of the op's output, rows x out
     * @param x the op's input, rows x in
     */
    void addTransposedProduct(Tensor weight, DMatrixRMaj g, DMatrixRMaj x) {
        if (!gathering || !weight.isLeaf() || g.numRows > DIRECT_ROWS) {
            ProductsF64.mult(g, true, x, false, weight.gradBuffer(), true);
        } else {
            stage(weight, g, x);
        }
    }

    private void stage(Tensor weight, DMatrixRMaj g, DMatrixRMaj x) {
        Stage stage = stageOf(weight, g.numCols, x.numCols);
        if (stage.rows + g.numRows > CAPACITY_ROWS) {
            stage.flush(false);
        }
        DMatrixRMaj sg = stage.g[stage.open];
        DMatrixRMaj sx = stage.x[stage.open];
        System.arraycopy(g.data, 0, sg.data, stage.rows * g.numCols, g.numRows * g.numCols);
        System.arraycopy(x.data, 0, sx.data, stage.rows * x.numCols, x.numRows * x.numCols);
        stage.rows += g.numRows;
    }

    private Stage stageOf(Tensor weight, int outCols, int inCols) {
        Stage free = null;
        for (int i = 0; i < stages.size(); i++) {
            Stage s = stages.get(i);
            if (s.weight == weight) {
                return s;
            }
            if (free == null && s.weight == null && s.g[0].numCols == outCols && s.x[0].numCols == inCols) {
                free = s;
            }
        }
        if (free == null) {
            free = new Stage(outCols, inCols);
            stages.add(free);
        }
        free.weight = weight;
        return free;
    }

    /** Adds every gathered update into its weight's gradient and ends the pass. */
    void finish() {
        for (int i = 0; i < stages.size(); i++) {
            stages.get(i).flush(true);
        }
        discard();
    }

    /**
     * Ends the pass without adding what is still gathered (backward failed); what earlier
     * products added is written back into the gradients.
     */
    void discard() {
        for (int i = 0; i < stages.size(); i++) {
            stages.get(i).release();
        }
        gathering = false;
    }

    /**
     * Gatherings in flight per weight: one filled while the worker multiplies the one before, so
     * a gathering's buffers are reused only once its product has run.
     */
    private static final int IN_FLIGHT = 2;

    /** The stacked rows of g and x gathered for one weight, and the weight's gradient while products add into it. */
    private static final class Stage {
        final DMatrixRMaj[] g = new DMatrixRMaj[IN_FLIGHT];
        final DMatrixRMaj[] x = new DMatrixRMaj[IN_FLIGHT];
        final ResidentSumF64 sum = new ResidentSumF64();
        final Runnable writeBack = sum::writeBack;
        Tensor weight;
        /** The gathering being filled. */
        int open;
        int rows;

        Stage(int outCols, int inCols) {
            for (int i = 0; i < IN_FLIGHT; i++) {
                g[i] = new DMatrixRMaj(CAPACITY_ROWS, outCols);
                x[i] = new DMatrixRMaj(CAPACITY_ROWS, inCols);
            }
        }

        /**
         * weight.grad += G^T X over the gathered rows: on the worker while the pass goes on, or
         * {@code now} on this thread (and the product threads) after the products before it, as
         * at the end of the pass, where nothing is left to overlap. Frees the next gathering's
         * buffers.
         */
        void flush(boolean now) {
            if (rows == 0) {
                return;
            }
            g[open].reshape(rows, g[open].numCols, false);
            x[open].reshape(rows, x[open].numCols, false);
            if (!weight.holdsGradient(writeBack)) {
                sum.attach(weight.gradBuffer());
                weight.holdGradient(writeBack);
            }
            if (now) {
                sum.awaitPending(0);
                ProductsF64.accumulate(g[open], true, x[open], false, sum);
            } else {
                sum.accumulateLater(g[open], true, x[open], false);
            }
            open = (open + 1) % IN_FLIGHT;
            sum.awaitPending(IN_FLIGHT - 1);
            g[open].reshape(CAPACITY_ROWS, g[open].numCols, false);
            x[open].reshape(CAPACITY_ROWS, x[open].numCols, false);
            rows = 0;
        }

        /** Writes the gradient back once its products have run, and frees the stage for any weight. */
        void release() {
            if (weight != null) {
                weight.settleGradient();
            }
            weight = null;
            rows = 0;
        }
    }
}
