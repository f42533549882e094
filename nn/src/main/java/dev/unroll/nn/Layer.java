package dev.unroll.nn;

import dev.unroll.autograd.Tensor;

/**
 * A module that maps one tensor to one tensor (a linear layer, an activation, dropout), so that
 * layers compose in a {@code Sequential}.
 */
public interface Layer {

    /**
     * Applies the layer; recorded on the open tape, if any, like any op.
     *
     * @param input batch x features
     * @return the layer's output
     */
    Tensor forward(Tensor input);
}
