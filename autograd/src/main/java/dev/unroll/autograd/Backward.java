package dev.unroll.autograd;

import org.ejml.data.DMatrixRMaj;

/**
 * The backward step of one recorded op: given the gradient of the loss with respect to the op's
 * output, it ADDS the gradient with respect to each input that requires one into that input's
 * gradient buffer ({@link Tensor#gradBuffer()}).
 *
 * <p>Adding rather than assigning is what makes a tensor used several times (a weight shared by
 * every timestep, a tied embedding) receive the sum of its contributions.
 */
@FunctionalInterface
public interface Backward {

    /**
     * Propagates {@code outputGrad} (same shape as the op's output) to the op's inputs.
     *
     * @param outputGrad dLoss/dOutput; read it, never modify or keep it
     */
    void apply(DMatrixRMaj outputGrad);
}
