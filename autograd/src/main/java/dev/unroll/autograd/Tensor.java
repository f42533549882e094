package dev.unroll.autograd;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * A matrix of doubles or floats that can take part in reverse-mode differentiation.
 *
 * <p>A tensor wraps one EJML matrix, a {@link DMatrixRMaj} ({@link DType#F64}, the default) or an
 * {@link FMatrixRMaj} ({@link DType#F32}): rows are the batch, columns the features, and a 1x1
 * tensor is a scalar. A sequence is a {@code List<Tensor>}, one batch x features tensor per
 * timestep. {@link #to(DType)} converts, differentiably; every op takes inputs of one precision.
 * Generic readers ({@link #get}, {@link #item()}, {@link #toArray()}) work in both; the live
 * storage is {@link #value()}/{@link #data()} for float64 and {@link #valueF32()}/{@link #dataF32()}
 * for float32.
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
 * ops ({@link Storage}), and reading a recycled tensor throws an {@link IllegalStateException}.
 * Keep a value past {@code clear()} with {@link #detach()} or {@link #copy()}. Closing a tape
 * recycles nothing.
 *
 * <p>A tensor may be read by several threads; a parameter may be recorded by one thread's tape
 * at a time (a second thread's tape recording an op over it throws, naming the fix: one model
 * replica per thread).
 */
public class Tensor {

    private DMatrixRMaj f64;
    private FMatrixRMaj f32;
    private DMatrixRMaj grad64;
    private FMatrixRMaj grad32;
    private boolean gradWritten;
    /** Writes this leaf's gradient back from where a backward pass holds it, or null when it is held nowhere else. */
    private Runnable heldGradient;
    private boolean requiresGrad;
    private boolean retainGrad;
    private Tape producer;
    private int generation;
    private boolean pinned;
    private volatile Tape recorder;

    private static final AtomicReferenceFieldUpdater<Tensor, Tape> RECORDER =
            AtomicReferenceFieldUpdater.newUpdater(Tensor.class, Tape.class, "recorder");

    /**
     * Wraps {@code value} without copying it; the tensor is a float64 leaf that requires no gradient.
     *
     * @param value the matrix to wrap; later changes to it are visible through this tensor
     */
    public Tensor(DMatrixRMaj value) {
        if (value == null) {
            throw new IllegalArgumentException("Tensor: value is null; pass a DMatrixRMaj");
        }
        this.f64 = value;
    }

    /**
     * Wraps {@code value} without copying it; the tensor is a float32 leaf that requires no gradient.
     *
     * @param value the matrix to wrap; later changes to it are visible through this tensor
     */
    public Tensor(FMatrixRMaj value) {
        if (value == null) {
            throw new IllegalArgumentException("Tensor: value is null; pass an FMatrixRMaj");
        }
        this.f32 = value;
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
     * Wraps an existing float EJML matrix without copying it.
     *
     * @param matrix the matrix to wrap
     * @return a float32 leaf tensor sharing {@code matrix}'s storage
     */
    public static Tensor wrap(FMatrixRMaj matrix) {
        return new Tensor(matrix);
    }

    /**
     * A tensor holding a copy of {@code rows}.
     *
     * @param rows the values, row by row; every row must have the same length
     * @return a new rows.length x rows[0].length float64 leaf tensor
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
     * @return a new 1 x values.length float64 leaf tensor
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
     * @return a new 1x1 float64 leaf tensor
     */
    public static Tensor scalar(double value) {
        DMatrixRMaj m = new DMatrixRMaj(1, 1);
        m.data[0] = value;
        return new Tensor(m);
    }

    /**
     * A float64 tensor of zeros.
     *
     * @param rows number of rows (batch)
     * @param cols number of columns (features)
     * @return a new rows x cols leaf tensor of zeros
     */
    public static Tensor zeros(int rows, int cols) {
        return zeros(DType.F64, rows, cols);
    }

    /**
     * A tensor of zeros of the given precision; while a tape records, its storage is recycled
     * from the tape's last {@link Tape#clear()}, so ops use this for their outputs.
     *
     * @param dtype the precision
     * @param rows number of rows (batch)
     * @param cols number of columns (features)
     * @return a new rows x cols leaf tensor of zeros
     */
    public static Tensor zeros(DType dtype, int rows, int cols) {
        return allocate("Tensor.zeros", dtype, rows, cols, true);
    }

    /**
     * A tensor whose elements are unspecified (recycled storage is not cleared), for an op that
     * writes every element of its output; cheaper than {@link #zeros(DType, int, int)} for
     * large outputs.
     *
     * @param dtype the precision
     * @param rows number of rows
     * @param cols number of columns
     * @return a new rows x cols leaf tensor to be overwritten
     */
    public static Tensor empty(DType dtype, int rows, int cols) {
        return allocate("Tensor.empty", dtype, rows, cols, false);
    }

    private static Tensor allocate(String op, DType dtype, int rows, int cols, boolean zeroed) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(op + ": shape " + rows + "x" + cols
                    + " is empty or negative; rows and columns must both be at least 1");
        }
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(op + ": shape " + rows + "x" + cols + " has more than 2^31 elements");
        }
        int n = rows * cols;
        return dtype == DType.F64 ? new Tensor(DMatrixRMaj.wrap(rows, cols, Storage.valueF64(n, zeroed)))
                : new Tensor(FMatrixRMaj.wrap(rows, cols, Storage.valueF32(n, zeroed)));
    }

    /**
     * A tensor of ones.
     *
     * @param rows number of rows
     * @param cols number of columns
     * @return a new rows x cols float64 leaf tensor of ones
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
     * @return a new rows x cols float64 leaf tensor
     */
    public static Tensor full(int rows, int cols, double value) {
        Tensor t = allocate("Tensor.full", DType.F64, rows, cols, false);
        t.f64.fill(value);
        return t;
    }

    /**
     * A tensor of independent draws from the uniform distribution on [low, high).
     *
     * @param rows number of rows
     * @param cols number of columns
     * @param low inclusive lower bound
     * @param high exclusive upper bound
     * @param rng the generator; draws are taken row by row
     * @return a new rows x cols float64 leaf tensor
     */
    public static Tensor uniform(int rows, int cols, double low, double high, RandomGenerator rng) {
        Tensor t = allocate("Tensor.uniform", DType.F64, rows, cols, false);
        double[] d = t.f64.data;
        for (int i = 0; i < d.length; i++) {
            d[i] = low + (high - low) * rng.nextDouble();
        }
        return t;
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
     * @return a new rows x cols float64 leaf tensor
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
     * @return a new rows x cols float64 leaf tensor
     */
    public static Tensor normal(int rows, int cols, double mean, double std, RandomGenerator rng) {
        Tensor t = allocate("Tensor.normal", DType.F64, rows, cols, false);
        double[] d = t.f64.data;
        for (int i = 0; i < d.length; i++) {
            d[i] = mean + std * rng.nextGaussian();
        }
        return t;
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
     * @return a new rows x cols float64 leaf tensor
     */
    public static Tensor normal(int rows, int cols, double mean, double std, long seed) {
        return normal(rows, cols, mean, std, Randomness.seeded(seed));
    }

    // ------------------------------------------------------------------------------ shape and values

    /** @return the precision of the elements */
    public DType dtype() {
        return f64 != null ? DType.F64 : DType.F32;
    }

    /** @return whether the elements are floats ({@link DType#F32}) */
    public boolean isF32() {
        return f64 == null;
    }

    /** @return the number of rows (the batch size) */
    public int rows() {
        return f64 != null ? f64.numRows : f32.numRows;
    }

    /** @return the number of columns (the features) */
    public int cols() {
        return f64 != null ? f64.numCols : f32.numCols;
    }

    /** @return rows x cols */
    public int size() {
        return rows() * cols();
    }

    /** @return the shape as text, e.g. {@code 32x100}, as used in error messages */
    public String shape() {
        return rows() + "x" + cols();
    }

    /**
     * @param other another tensor
     * @return whether both tensors have the same number of rows and of columns
     */
    public boolean sameShape(Tensor other) {
        return rows() == other.rows() && cols() == other.cols();
    }

    /**
     * One element, in either precision.
     *
     * @param row the row index
     * @param col the column index
     * @return the value at (row, col)
     */
    public double get(int row, int col) {
        if (row < 0 || row >= rows() || col < 0 || col >= cols()) {
            throw new IndexOutOfBoundsException("get(" + row + ", " + col + ") outside a " + shape() + " tensor");
        }
        checkLive();
        int k = row * cols() + col;
        return f64 != null ? f64.data[k] : f32.data[k];
    }

    /**
     * The value of a 1x1 tensor, e.g. a loss.
     *
     * @return the single element
     */
    public double item() {
        if (size() != 1) {
            throw new IllegalStateException("item() needs a 1x1 tensor but this one is " + shape()
                    + "; reduce it first (sum or mean) or use get(row, col)");
        }
        return get(0, 0);
    }

    /** @return a copy of the values as rows of doubles, in either precision */
    public double[][] toArray() {
        checkLive();
        int rows = rows();
        int cols = cols();
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r][c] = f64 != null ? f64.data[r * cols + c] : f32.data[r * cols + c];
            }
        }
        return out;
    }

    /**
     * The live float64 matrix behind this tensor (no copy). Ops treat it as read-only; optimizers
     * and initializers update parameters through it, outside any tape.
     *
     * @return the wrapped matrix
     * @throws IllegalStateException when the tensor is float32 (use {@link #valueF32()})
     */
    public DMatrixRMaj value() {
        checkLive();
        if (f64 == null) {
            throw wrongPrecision("value()", "valueF32()");
        }
        return f64;
    }

    /**
     * The live float32 matrix behind this tensor (no copy), as {@link #value()} for float64.
     *
     * @return the wrapped matrix
     * @throws IllegalStateException when the tensor is float64 (use {@link #value()})
     */
    public FMatrixRMaj valueF32() {
        checkLive();
        if (f32 == null) {
            throw wrongPrecision("valueF32()", "value()");
        }
        return f32;
    }

    /** @return the row-major backing array of {@link #value()} (live, no copy); float64 only */
    public double[] data() {
        return value().data;
    }

    /** @return the row-major backing array of {@link #valueF32()} (live, no copy); float32 only */
    public float[] dataF32() {
        return valueF32().data;
    }

    private IllegalStateException wrongPrecision(String called, String instead) {
        return new IllegalStateException(called + " on a " + dtype() + " " + shape() + " tensor; use " + instead
                + ", the generic get(row, col) or toArray(), or convert with to(DType." + (isF32() ? "F64" : "F32") + ")");
    }

    private void checkLive() {
        if (producer != null && producer.storage().recycled(this)) {
            throw new IllegalStateException("this " + shape() + " tensor was recorded on a tape that has since been "
                    + "cleared, which recycled its storage for the next iteration; keep a value past tape.clear() "
                    + "with detach() or copy(), or read it before clearing");
        }
    }

    /** @return whether {@link Tape#clear()} recycled this tensor's storage */
    boolean isRecycled() {
        return producer != null && producer.storage().recycled(this);
    }

    /** @return the backing array, whatever its precision, for {@link Storage} */
    Object storageArray() {
        return f64 != null ? f64.data : f32.data;
    }

    boolean isPinned() {
        return pinned;
    }

    int recordedGeneration() {
        return generation;
    }

    /**
     * Converts this leaf's storage to another precision in place, for a module's parameters
     * ({@code model.to(DType)}); its gradient is dropped.
     *
     * @param dtype the new precision
     * @throws IllegalStateException for a recorded tensor, or while a tape records
     */
    protected final void convertInPlace(DType dtype) {
        if (producer != null || Tape.isRecording()) {
            throw new IllegalStateException("to(" + dtype + "): convert a model's parameters outside any tape, "
                    + "before recording");
        }
        if (dtype == dtype()) {
            return;
        }
        if (dtype == DType.F32) {
            f32 = Conversions.toF32(f64);
            f64 = null;
        } else {
            f64 = Conversions.toF64(f32);
            f32 = null;
        }
        clearGrad();
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
     *     created or its gradient was {@linkplain #zeroGrad() zeroed} or {@linkplain #clearGrad() cleared}
     */
    public Tensor grad() {
        settleGradient();
        if (!gradWritten) {
            return null;
        }
        return grad64 != null ? new Tensor(grad64) : new Tensor(grad32);
    }

    /**
     * @return whether a gradient has reached this tensor since it was created, zeroed or cleared
     *     (PyTorch's {@code grad is not None}); optimizers leave a parameter without one alone
     */
    public boolean hasGrad() {
        return gradWritten;
    }

    /** @return the live float64 gradient matrix, or {@code null} when there is none ({@link #hasGrad()}) */
    public DMatrixRMaj gradMatrix() {
        settleGradient();
        return gradWritten ? grad64 : null;
    }

    /** @return the live float32 gradient matrix, or {@code null} when there is none ({@link #hasGrad()}) */
    public FMatrixRMaj gradMatrixF32() {
        settleGradient();
        return gradWritten ? grad32 : null;
    }

    /**
     * The float64 gradient buffer that backward steps add into, created (zero) when first
     * needed; from then on the tensor {@linkplain #hasGrad() has a gradient}. This is for authors
     * of new ops ({@link Backward}); users read {@link #grad()}.
     *
     * @return the live gradient matrix, same shape as the value
     */
    public DMatrixRMaj gradBuffer() {
        settleGradient();
        gradWritten = true;
        if (grad64 == null) {
            if (f64 == null) {
                throw wrongPrecision("gradBuffer()", "gradBufferF32()");
            }
            int n = f64.numRows * f64.numCols;
            grad64 = DMatrixRMaj.wrap(f64.numRows, f64.numCols,
                    producer == null ? new double[n] : producer.storage().gradientF64(n));
        }
        return grad64;
    }

    /**
     * The float32 gradient buffer, as {@link #gradBuffer()} for float64.
     *
     * @return the live gradient matrix, same shape as the value
     */
    public FMatrixRMaj gradBufferF32() {
        settleGradient();
        gradWritten = true;
        if (grad32 == null) {
            if (f32 == null) {
                throw wrongPrecision("gradBufferF32()", "gradBuffer()");
            }
            int n = f32.numRows * f32.numCols;
            grad32 = FMatrixRMaj.wrap(f32.numRows, f32.numCols,
                    producer == null ? new float[n] : producer.storage().gradientF32(n));
        }
        return grad32;
    }

    /** @return {@code gradBuffer().data}: the array backward steps add a float64 input's gradient into */
    public double[] gradData() {
        return gradBuffer().data;
    }

    /** @return {@code gradBufferF32().data}: the array backward steps add a float32 input's gradient into */
    public float[] gradDataF32() {
        return gradBufferF32().data;
    }

    /**
     * Forgets the accumulated gradient, as PyTorch's {@code zero_grad(set_to_none=True)}: until a
     * backward pass reaches this tensor again it has no gradient ({@link #grad()} is {@code null},
     * optimizers skip it). The buffer is kept, zeroed, for the next backward, so a training loop
     * allocates no gradients after its first iteration.
     */
    public void zeroGrad() {
        settleGradient();
        gradWritten = false;
        if (grad64 != null) {
            grad64.zero();
        }
        if (grad32 != null) {
            grad32.zero();
        }
    }

    /** Drops the gradient and its buffer; {@link #grad()} returns {@code null} afterwards. */
    public void clearGrad() {
        settleGradient();
        gradWritten = false;
        grad64 = null;
        grad32 = null;
    }

    /**
     * A backward pass holds this leaf's gradient elsewhere (in native memory, between the products
     * that add into it) until {@code writeBack} runs: every access to the gradient runs it first.
     *
     * @param writeBack copies the gradient back into this tensor's buffer
     */
    void holdGradient(Runnable writeBack) {
        heldGradient = writeBack;
    }

    /** @return whether {@code writeBack} holds this leaf's gradient ({@link #holdGradient}) */
    boolean holdsGradient(Runnable writeBack) {
        return heldGradient == writeBack;
    }

    /** Makes the gradient buffer current: writes back a gradient held elsewhere and ends the hold. */
    void settleGradient() {
        Runnable writeBack = heldGradient;
        if (writeBack != null) {
            heldGradient = null;
            writeBack.run();
        }
    }

    /** An intermediate's gradient is no longer needed: back to its tape's storage. */
    void releaseGrad() {
        if (grad64 != null) {
            producer.storage().release(grad64.data);
        } else if (grad32 != null) {
            producer.storage().release(grad32.data);
        }
        gradWritten = false;
        grad64 = null;
        grad32 = null;
    }

    /**
     * A leaf that shares this tensor's value but has no history and requires no gradient: the
     * cut that truncated BPTT makes when it carries the hidden state into the next chunk. The
     * shared storage is never recycled by {@link Tape#clear()}, so the detached tensor stays valid.
     *
     * @return a new leaf over the same matrix (no copy)
     */
    public Tensor detach() {
        checkLive();
        pinned = true;
        return f64 != null ? new Tensor(f64) : new Tensor(f32);
    }

    /** @return a leaf holding a copy of this tensor's value */
    public Tensor copy() {
        checkLive();
        return f64 != null ? new Tensor(f64.copy()) : new Tensor(f32.copy());
    }

    /**
     * This tensor in another precision, recorded like any op (its gradient is converted back),
     * as PyTorch's {@code tensor.to(dtype)}.
     *
     * @param dtype the precision wanted
     * @return this tensor when it already has that precision, else a converted tensor
     */
    public Tensor to(DType dtype) {
        return Conversions.to(this, dtype);
    }

    void recordedBy(Tape tape, int generation) {
        this.producer = tape;
        this.generation = generation;
        this.requiresGrad = true;
    }

    Tape producer() {
        return producer;
    }

    /**
     * Claims this parameter for a tape recording an op over it: only one thread's tape may add
     * into a leaf's gradient at a time.
     *
     * @return whether the claim is new (the tape must release it when cleared or closed)
     */
    boolean claimFor(Tape tape) {
        while (true) {
            Tape current = recorder;
            if (current == tape) {
                return false;
            }
            if (current != null && current.isLive() && current.thread() != Thread.currentThread()) {
                throw new IllegalStateException("a " + shape() + " parameter is being recorded by a tape on thread '"
                        + current.thread().getName() + "' and now on thread '" + Thread.currentThread().getName()
                        + "': both backward passes would add into its one gradient at once; give each thread its "
                        + "own copy of the model (and sum the gradients in a fixed order), or record on one thread");
            }
            if (RECORDER.compareAndSet(this, current, tape)) {
                return true;
            }
        }
    }

    /** The tape that claimed this parameter was cleared or closed. */
    void releaseClaim(Tape tape) {
        RECORDER.compareAndSet(this, tape, null);
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
