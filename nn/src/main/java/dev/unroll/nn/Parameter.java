package dev.unroll.nn;

import dev.unroll.autograd.Tensor;
import org.ejml.data.DMatrixRMaj;

/**
 * A trainable leaf tensor: it always requires a gradient, and optimizers update its value in
 * place. A module gives it its name when registering it; one parameter may be registered by
 * several modules (tied weights) and then receives the sum of the gradients of every use.
 */
public class Parameter extends Tensor {

    /**
     * Wraps {@code value} (no copy) as a parameter.
     *
     * @param value the initial value
     */
    public Parameter(DMatrixRMaj value) {
        super(value);
        requiresGrad(true);
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
