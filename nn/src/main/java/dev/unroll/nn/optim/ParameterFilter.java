package dev.unroll.nn.optim;

import dev.unroll.nn.Parameter;
import java.util.function.Predicate;

/**
 * Chooses the parameters of a {@linkplain OptimizerOptions#group parameter group} by their dotted
 * name and the parameter itself, e.g. {@code ParameterFilter.vectors()} for the biases and
 * normalization gains that usually get no weight decay.
 */
@FunctionalInterface
public interface ParameterFilter {

    /**
     * @param name the parameter's dotted name, e.g. {@code encoder.lstm.bias_ih_l0}
     * @param parameter the parameter
     * @return whether the group takes it
     */
    boolean test(String name, Parameter parameter);

    /**
     * @param names a test of the dotted name, e.g. {@code name -> name.startsWith("decoder.")}
     * @return the parameters whose names pass it
     */
    static ParameterFilter names(Predicate<String> names) {
        return (name, parameter) -> names.test(name);
    }

    /**
     * The vector parameters ({@link Parameter#isVector()}, 1-D in PyTorch): every bias, every
     * LayerNorm gain and shift, and the other 1-D weights (peephole weights, IndRNN's recurrent
     * weight). This is the rule of nanoGPT and timm ({@code p.dim() < 2}) for the group without
     * weight decay.
     *
     * @return the filter
     */
    static ParameterFilter vectors() {
        return (name, parameter) -> parameter.isVector();
    }
}
