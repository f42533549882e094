package dev.unroll.autograd;

import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * A matrix of doubles that can take part in reverse-mode differentiation.
 *
 * <p>A tensor wraps one EJML {@link DMatrixRMaj}: rows are the batch, columns the features, and
 * a 1x1 tensor is a scalar. A sequence is a {@code List<Tensor>}, one batch x features tensor
 * per timestep.
 *
 * <p>Leaves are tensors the user creates; a leaf that {@linkplain #requiresGrad(boolean)
 * requires a gradient} (a parameter) keeps its {@linkplain #grad() gradient} across backward
 * passes until {@linkplain #zeroGrad() zeroed}, so gradients accumulate. Tensors produced by ops
 * recorded on an open {@link Tape} also require gradients; their gradients are freed once
 * backward has used them, unless {@link #retainGrad()} was called.
 *
 * <p>Ops never modify their inputs. {@link #value()} exposes the live matrix for code that must
 * update values in place (optimizers, initializers); do that outside a tape.
 *
 * <p>The values of tensors recorded on a tape stay readable until that tape is
 * {@linkplain Tape#clear() cleared}: clearing recycles their storage for the next iteration's
 * ops, and reading a recycled tensor throws an {@link IllegalStateException}. Keep a value past
 * {@code clear()} with {@link #detach()} or {@link #copy()}. Closing a tape recycles nothing.
 */
public class Tensor {

    private final DMatrixRMaj value;
    private DMatrixRMaj grad;
    private boolean requiresGrad;
    private boolean retainGrad;
    private Tape producer;
    private int producerGeneration;
    private boolean shared;
    private boolean recycled;

    /**
     * Wraps {@code value} without copying it; the tensor is a leaf that requires no gradient.
     *
     * @param value the matrix to wrap; later changes to it are visible through this tensor
     */
    public Tensor(DMatrixRMaj value) {
        if (value == null) {
            throw new IllegalArgumentException("Tensor: value is null; pass a DMatrixRMaj");
        }
        this.value = value;
    }

    // ------------------------------------------------------------------------------ factories

    /**
     * Wraps an existing EJML matrix without copying it.
     *
     * @param matrix the matrix to wrap
     * @return a leaf tensor sharing {@code matrix}'s storage
     */
    public static Tensor wrap(DMatrixRMaj matrix) {
        return new Tensor(matrix);
    }

    /**
     * A tensor holding a copy of {@code rows}.
     *
     * @param rows the values, row by row; every row must have the same length
     * @return a new rows.length x rows[0].length leaf tensor
     */
    public static Tensor of(double[][] rows) {
        if (rows.length == 0 || rows[0].length == 0) {
            throw new IllegalArgumentException("Tensor.of: empty array; a tensor needs at least one row and one column");
        }
        int cols = rows[0].length;
        for (int r = 1; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("Tensor.of: row " + r + " has " + rows[r].length
                        + " values but row 0 has " + cols + "; every row must have the same length");
            }
        }
        return new Tensor(new DMatrixRMaj(rows));
    }

    /**
     * A 1 x n tensor (one batch row) holding a copy of {@code values}.
     *
     * @param values the row's values
     * @return a new 1 x values.length leaf tensor
     */
    public static Tensor row(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("Tensor.row: no values; a tensor needs at least one column");
        }
        return new Tensor(new DMatrixRMaj(1, values.length, true, values));
    }

    /**
     * A 1x1 tensor.
     *
     * @param value the scalar
     * @return a new 1x1 leaf tensor
     */
    public static Tensor scalar(double value) {
        DMatrixRMaj m = new DMatrixRMaj(1, 1);
        m.data[0] = value;
        return new Tensor(m);
    }

    /**
     * A tensor of zeros.
     *
     * @param rows number of rows (batch)
     * @param cols number of columns (features)
     * @return a new rows x cols leaf tensor of zeros
     */
    public static Tensor zeros(int rows, int cols) {
        return new Tensor(newMatrix("Tensor.zeros", rows, cols));
    }

    /**
     * A tensor of ones.
     *
     * @param rows number of rows
     * @param cols number of columns
     * @return a new rows x cols leaf tensor of ones
     */
    public static Tensor ones(int rows, int cols) {
        return full(rows, cols, 1.0);
    }

    /**
     * A tensor with every element equal to {@code value}.
     *
     * @param rows number of rows
     * @param cols number of columns
     * @param value the fill value
     * @return a new rows x cols leaf tensor
     */
    public static Tensor full(int rows, int cols, double value) {
        DMatrixRMaj m = newMatrix("Tensor.full", rows, cols);
        m.fill(value);
        return new Tensor(m);
    }

    /**
     * A tensor of independent draws from the uniform distribution on [low, high).
     *
     * @param rows number of rows
     * @param cols number of columns
     * @param low inclusive lower bound
     * @param high exclusive upper bound
     * @param rng the generator; draws are taken row by row
     * @return a new rows x cols leaf tensor
     */
    public static Tensor uniform(int rows, int cols, double low, double high, RandomGenerator rng) {
        DMatrixRMaj m = newMatrix("Tensor.uniform", rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = low + (high - low) * rng.nextDouble();
        }
        return new Tensor(m);
    }

    /**
     * Like {@link #uniform(int, int, double, double, RandomGenerator)} with a generator seeded by
     * {@code seed}.
     *
     * @param rows number of rows
     * @param cols number of columns
     * @param low inclusive lower bound
     * @param high exclusive upper bound
     * @param seed the seed; equal seeds give equal tensors
     * @return a new rows x cols leaf tensor
     */
    public static Tensor uniform(int rows, int cols, double low, double high, long seed) {
        return uniform(rows, cols, low, high, Randomness.seeded(seed));
    }

    /**
     * A tensor of independent draws from the normal distribution N(mean, std^2).
     *
     * @param rows number of rows
     * @param cols number of columns
     * @param mean the mean
     * @param std the standard deviation
     * @param rng the generator; draws are taken row by row
     * @return a new rows x cols leaf tensor
     */
    public static Tensor normal(int rows, int cols, double mean, double std, RandomGenerator rng) {
        DMatrixRMaj m = newMatrix("Tensor.normal", rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = mean + std * rng.nextGaussian();
        }
        return new Tensor(m);
    }

    /**
     * Like {@link #normal(int, int, double, double, RandomGenerator)} with a generator seeded by
     * {@code seed}.
     *
     * @param rows number of rows
     * @param cols number of columns
     * @param mean the mean
     * @param std the standard deviation
     * @param seed the seed; equal seeds give equal tensors
     * @return a new rows x cols leaf tensor
     */
    public static Tensor normal(int rows, int cols, double mean, double std, long seed) {
        return normal(rows, cols, mean, std, Randomness.seeded(seed));
    }

    /** A zero rows x cols matrix, its storage recycled from a cleared iteration when a tape is open. */
    static DMatrixRMaj newMatrix(String op, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(op + ": shape " + rows + "x" + cols
                    + " is empty or negative; rows and columns must both be at least 1");
        }
        return DMatrixRMaj.wrap(rows, cols, Tape.valueArray(rows * cols));
    }

    // ------------------------------------------------------------------------------ shape and values

    /** @return the number of rows (the batch size) */
    public int rows() {
        return value.numRows;
    }

    /** @return the number of columns (the features) */
    public int cols() {
        return value.numCols;
    }

    /** @return rows x cols */
    public int size() {
        return value.data.length;
    }

    /** @return the shape as text, e.g. {@code 32x100}, as used in error messages */
    public String shape() {
        return value.numRows + "x" + value.numCols;
    }

    /**
     * @param other another tensor
     * @return whether both tensors have the same number of rows and of columns
     */
    public boolean sameShape(Tensor other) {
        return value.numRows == other.value.numRows && value.numCols == other.value.numCols;
    }

    /**
     * One element.
     *
     * @param row the row index
     * @param col the column index
     * @return the value at (row, col)
     */
    public double get(int row, int col) {
        if (row < 0 || row >= value.numRows || col < 0 || col >= value.numCols) {
            throw new IndexOutOfBoundsException("get(" + row + ", " + col + ") outside a " + shape() + " tensor");
        }
        return live().data[row * value.numCols + col];
    }

    /**
     * The value of a 1x1 tensor, e.g. a loss.
     *
     * @return the single element
     */
    public double item() {
        if (value.data.length != 1) {
            throw new IllegalStateException("item() needs a 1x1 tensor but this one is " + shape()
                    + "; reduce it first (sum or mean) or use get(row, col)");
        }
        return live().data[0];
    }

    /** @return a copy of the values as rows */
    public double[][] toArray() {
        double[] data = live().data;
        double[][] out = new double[value.numRows][value.numCols];
        for (int r = 0; r < value.numRows; r++) {
            System.arraycopy(data, r * value.numCols, out[r], 0, value.numCols);
        }
        return out;
    }

    /**
     * The live matrix behind this tensor (no copy). Ops treat it as read-only; optimizers and
     * initializers update parameters through it, outside any tape.
     *
     * @return the wrapped matrix
     */
    public DMatrixRMaj value() {
        return live();
    }

    /** @return the row-major backing array of {@link #value()} (live, no copy) */
    public double[] data() {
        return live().data;
    }

    private DMatrixRMaj live() {
        if (recycled) {
            throw new IllegalStateException("this " + shape() + " tensor was recorded on a tape that has since been "
                    + "cleared, which recycled its storage for the next iteration; keep a value past tape.clear() "
                    + "with detach() or copy(), or read it before clearing");
        }
        return value;
    }

    /**
     * Gives up this recorded tensor's storage when its tape is cleared, unless a detached tensor
     * still shares it; reading the tensor afterwards throws.
     *
     * @return the storage to reuse, or {@code null} when it must be kept
     */
    double[] recycle() {
        if (shared || recycled) {
            return null;
        }
        recycled = true;
        return value.data;
    }

    /** @return whether {@link Tape#clear()} recycled this tensor's storage */
    boolean isRecycled() {
        return recycled;
    }

    // ------------------------------------------------------------------------------ gradients

    /**
     * Marks this leaf as needing a gradient (a parameter) or not.
     *
     * @param requires whether backward should compute dLoss/dThis
     * @return this tensor, for chaining
     */
    public Tensor requiresGrad(boolean requires) {
        if (producer != null) {
            throw new IllegalStateException("requiresGrad: this tensor is the output of a recorded op, "
                    + "not a leaf; call detach() to get a leaf with the same value");
        }
        this.requiresGrad = requires;
        return this;
    }

    /** @return whether backward computes a gradient for this tensor */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** @return whether this tensor was created by the user rather than by a recorded op */
    public boolean isLeaf() {
        return producer == null;
    }

    /**
     * Keeps this intermediate tensor's gradient after backward (leaves always keep theirs); this
     * is how one reads dLoss/dh_t at every timestep to watch gradients vanish or explode.
     *
     * @return this tensor, for chaining
     */
    public Tensor retainGrad() {
        this.retainGrad = true;
        return this;
    }

    boolean keepsGrad() {
        return retainGrad || producer == null;
    }

    /**
     * The gradient accumulated by backward, as a tensor that shares the gradient's storage.
     *
     * @return dLoss/dThis, or {@code null} when no backward has reached this tensor since it was
     *     created or zeroed with {@link #clearGrad()}
     */
    public Tensor grad() {
        return grad == null ? null : new Tensor(grad);
    }

    /** @return the live gradient matrix, or {@code null} when there is none */
    public DMatrixRMaj gradMatrix() {
        return grad;
    }

    /**
     * The gradient buffer that backward steps add into, created (zero) when first needed. This
     * is for authors of new ops ({@link Backward}); users read {@link #grad()}.
     *
     * @return the live gradient matrix, same shape as the value
     */
    public DMatrixRMaj gradBuffer() {
        if (grad == null) {
            grad = GradientPool.zeroBuffer(value.numRows, value.numCols);
        }
        return grad;
    }

    /** Sets the accumulated gradient to zero, keeping its buffer for the next backward. */
    public void zeroGrad() {
        if (grad != null) {
            grad.zero();
        }
    }

    /** Drops the gradient and its buffer; {@link #grad()} returns {@code null} afterwards. */
    public void clearGrad() {
        grad = null;
    }

    /**
     * A leaf that shares this tensor's value but has no history and requires no gradient: the
     * cut that truncated BPTT makes when it carries the hidden state into the next chunk. The
     * shared storage is never recycled by {@link Tape#clear()}, so the detached tensor stays valid.
     *
     * @return a new leaf over the same matrix (no copy)
     */
    public Tensor detach() {
        DMatrixRMaj v = live();
        shared = true;
        return new Tensor(v);
    }

    /** @return a leaf holding a copy of this tensor's value */
    public Tensor copy() {
        return new Tensor(live().copy());
    }

    void recordedBy(Tape tape, int generation) {
        this.producer = tape;
        this.producerGeneration = generation;
        this.requiresGrad = true;
    }

    Tape producer() {
        return producer;
    }

    int producerGeneration() {
        return producerGeneration;
    }

    // ------------------------------------------------------------------------------ fluent ops

    /**
     * @param other addend (same shape, a 1xC row, an Rx1 column or a 1x1 scalar)
     * @return this + other, see {@link ElementwiseOps#add}
     */
    public Tensor add(Tensor other) {
        return ElementwiseOps.add(this, other);
    }

    /**
     * @param other subtrahend (broadcast as in {@link #add})
     * @return this - other, see {@link ElementwiseOps#sub}
     */
    public Tensor sub(Tensor other) {
        return ElementwiseOps.sub(this, other);
    }

    /**
     * @param other factor (broadcast as in {@link #add})
     * @return this * other elementwise, see {@link ElementwiseOps#mul}
     */
    public Tensor mul(Tensor other) {
        return ElementwiseOps.mul(this, other);
    }

    /**
     * @param other divisor (broadcast as in {@link #add})
     * @return this / other elementwise, see {@link ElementwiseOps#div}
     */
    public Tensor div(Tensor other) {
        return ElementwiseOps.div(this, other);
    }

    /** @return -this, see {@link ElementwiseOps#neg} */
    public Tensor neg() {
        return ElementwiseOps.neg(this);
    }

    /**
     * @param factor a constant
     * @return factor * this, see {@link ElementwiseOps#scale}
     */
    public Tensor scale(double factor) {
        return ElementwiseOps.scale(this, factor);
    }

    /**
     * @param constant a constant
     * @return this + constant, see {@link ElementwiseOps#addScalar}
     */
    public Tensor addScalar(double constant) {
        return ElementwiseOps.addScalar(this, constant);
    }

    /** @return tanh(this), see {@link ElementwiseOps#tanh} */
    public Tensor tanh() {
        return ElementwiseOps.tanh(this);
    }

    /** @return the logistic sigmoid of this, see {@link ElementwiseOps#sigmoid} */
    public Tensor sigmoid() {
        return ElementwiseOps.sigmoid(this);
    }

    /** @return max(this, 0), see {@link ElementwiseOps#relu} */
    public Tensor relu() {
        return ElementwiseOps.relu(this);
    }

    /** @return e^this, see {@link ElementwiseOps#exp} */
    public Tensor exp() {
        return ElementwiseOps.exp(this);
    }

    /** @return the natural log of this, see {@link ElementwiseOps#log} */
    public Tensor log() {
        return ElementwiseOps.log(this);
    }

    /** @return the square root of this, see {@link ElementwiseOps#sqrt} */
    public Tensor sqrt() {
        return ElementwiseOps.sqrt(this);
    }

    /**
     * @param exponent a constant
     * @return this^exponent, see {@link ElementwiseOps#pow}
     */
    public Tensor pow(double exponent) {
        return ElementwiseOps.pow(this, exponent);
    }

    /**
     * @param min lower bound
     * @param max upper bound
     * @return this clamped to [min, max], see {@link ElementwiseOps#clamp}
     */
    public Tensor clamp(double min, double max) {
        return ElementwiseOps.clamp(this, min, max);
    }

    /**
     * @param other right factor
     * @return the matrix product this * other, see {@link MatrixOps#matmul}
     */
    public Tensor matmul(Tensor other) {
        return MatrixOps.matmul(this, other);
    }

    /**
     * @param other right factor, used transposed
     * @return this * other^T, see {@link MatrixOps#matmulTransB}
     */
    public Tensor matmulTransB(Tensor other) {
        return MatrixOps.matmulTransB(this, other);
    }

    /** @return the transpose, see {@link MatrixOps#transpose} */
    public Tensor transpose() {
        return MatrixOps.transpose(this);
    }

    /** @return the 1x1 sum of all elements, see {@link ReductionOps#sum} */
    public Tensor sum() {
        return ReductionOps.sum(this);
    }

    /** @return the 1x1 mean of all elements, see {@link ReductionOps#mean} */
    public Tensor mean() {
        return ReductionOps.mean(this);
    }

    /** @return the softmax of each row, see {@link SoftmaxOps#softmax} */
    public Tensor softmax() {
        return SoftmaxOps.softmax(this);
    }

    /** @return the log-softmax of each row, see {@link SoftmaxOps#logSoftmax} */
    public Tensor logSoftmax() {
        return SoftmaxOps.logSoftmax(this);
    }

    /**
     * @param from first column (inclusive)
     * @param to last column (exclusive)
     * @return those columns, see {@link ShapeOps#sliceCols}
     */
    public Tensor sliceCols(int from, int to) {
        return ShapeOps.sliceCols(this, from, to);
    }

    /**
     * @param from first row (inclusive)
     * @param to last row (exclusive)
     * @return those rows, see {@link ShapeOps#sliceRows}
     */
    public Tensor sliceRows(int from, int to) {
        return ShapeOps.sliceRows(this, from, to);
    }

    // ------------------------------------------------------------------------------ printing

    /**
     * The shape, whether a gradient is tracked, and the values (the middle elided when large),
     * e.g. {@code Tensor 2x3 (requires grad)} followed by the rows.
     */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
