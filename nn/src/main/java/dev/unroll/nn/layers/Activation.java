package dev.unroll.nn.layers;

import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Module;
import java.util.function.UnaryOperator;

/**
 * An elementwise activation as a parameter-free layer, for use in a {@link Sequential}:
 * {@link #tanh()}, {@link #relu()}, {@link #sigmoid()}.
 */
public final class Activation extends Module implements Layer {

    private final String name;
    private final UnaryOperator<Tensor> function;

    private Activation(String name, UnaryOperator<Tensor> function) {
        this.name = name;
        this.function = function;
    }

    /** @return a layer computing tanh(x) */
    public static Activation tanh() {
        return new Activation("tanh", Tensor::tanh);
    }

    /** @return a layer computing max(x, 0) */
    public static Activation relu() {
        return new Activation("relu", Tensor::relu);
    }

    /** @return a layer computing 1 / (1 + e^-x) */
    public static Activation sigmoid() {
        return new Activation("sigmoid", Tensor::sigmoid);
    }

    @Override
    public Tensor forward(Tensor input) {
        return function.apply(input);
    }

    @Override
    protected String describeSelf() {
        return "(" + name + ")";
    }
}
