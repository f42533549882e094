package dev.unroll.nn.layers;

import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Module;
import java.util.List;

/**
 * Layers applied one after the other, as PyTorch's {@code nn.Sequential}: the output of each is
 * the input of the next. Layers that are modules are registered under their index, so their
 * parameters are named {@code 0.weight}, {@code 2.bias}, ... as in PyTorch.
 */
public class Sequential extends Module implements Layer {

    private final List<Layer> layers;

    /**
     * Chains the given layers.
     *
     * @param layers the layers, first applied first
     */
    public Sequential(Layer... layers) {
        if (layers.length == 0) {
            throw new IllegalArgumentException("Sequential: no layers; pass at least one");
        }
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] instanceof Module module) {
                registerModule(Integer.toString(i), module);
            }
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Layer layer : layers) {
            x = layer.forward(x);
        }
        return x;
    }

    /** @return the layers in order, unmodifiable */
    public List<Layer> layers() {
        return layers;
    }
}
