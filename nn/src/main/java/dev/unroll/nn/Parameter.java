package dev.unroll.nn;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Tensor;
import org.ejml.data.DMatrixRMaj;

/**
 * A trainable leaf tensor: it always requires a gradient, and optimizers update its value in
 * place. A module gives it its name when registering it; one parameter may be registered by
 * several modules (tied weights) and then receives the sum of the gradients of every use.
 */
public class Parameter extends Tensor {

    private final boolean vector;

    /**
     * Wraps {@code value} (no copy) as a matrix parameter.
     *
     * @param value the initial value
     */
    public Parameter(DMatrixRMaj value) {
        this(value, false);
    }

    private Parameter(DMatrixRMaj value, boolean vector) {
        super(value);
        this.vector = vector;
        requiresGrad(true);
    }

    /**
     * A 1 x n parameter that PyTorch stores as a 1-D tensor of n values (a bias, a LayerNorm
     * scale); checkpoints write it with shape {@code [n]} so the names and shapes match PyTorch's
     * state_dict.
     *
     * @param initial the initial value, one row
     * @return a new vector parameter holding a copy of {@code initial}
     */
    public static Parameter vector(Tensor initial) {
        if (initial.rows() != 1) {
            throw new IllegalArgumentException("Parameter.vector: a vector parameter has one row, not " + initial.shape());
        }
        return new Parameter(initial.value().copy(), true);
    }

    /** Converts this parameter's storage to {@code dtype} in place (for {@link Module#to(DType)}); drops its gradient. */
    void convert(DType dtype) {
        convertInPlace(dtype);
    }

    /** @return whether this is a 1 x n parameter stored as a 1-D tensor (see {@link #vector(Tensor)}) */
    public boolean isVector() {
        return vector;
    }

    /**
     * A parameter holding a copy of {@code initial}'s value.
     *
     * @param initial the initial value, e.g. from an initializer
     * @return a new parameter
     */
    public static Parameter of(Tensor initial) {
        return new Parameter(initial.value().copy());
    }

    /**
     * A zero parameter of the given shape.
     *
     * @param rows number of rows
     * @param cols number of columns
     * @return a new parameter of zeros
     */
    public static Parameter zeros(int rows, int cols) {
        return of(Tensor.zeros(rows, cols));
    }
}
