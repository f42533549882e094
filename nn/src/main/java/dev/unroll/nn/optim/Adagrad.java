package dev.unroll.nn.optim;

import dev.unroll.autograd.internal.ParameterUpdates;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import java.util.Map;

/**
 * Adagrad: each weight's step shrinks with the sum of its squared gradients. Per step:
 * <pre>
 * s = s + g^2
 * w = w - lr * g / (sqrt(s) + eps)      PyTorch's torch.optim.Adagrad (eps 1e-10)
 * w = w - lr * g / sqrt(s + eps)        min-char-rnn (eps 1e-8), see {@link #minCharRnn}
 * </pre>
 */
public final class Adagrad extends Optimizer {

    private final double eps;
    private final boolean epsInsideSqrt;

    /**
     * PyTorch's Adagrad (eps 1e-10 added outside the square root).
     *
     * @param module the module whose parameters to update
     * @param learningRate the learning rate
     */
    public Adagrad(Module module, double learningRate) {
        this(of(module), learningRate, 1e-10, false);
    }

    /**
     * Adagrad with an explicit epsilon placement.
     *
     * @param parameters the parameters by name
     * @param learningRate the learning rate
     * @param eps the stabiliser
     * @param epsInsideSqrt true for sqrt(s + eps) as in min-char-rnn, false for sqrt(s) + eps as in PyTorch
     */
    public Adagrad(Map<String, Parameter> parameters, double learningRate, double eps, boolean epsInsideSqrt) {
        super(parameters, learningRate, StateSlot.nonNegative("sum"));
        if (!(eps > 0)) {
            throw new IllegalArgumentException("Adagrad: eps " + eps + " must be positive");
        }
        this.eps = eps;
        this.epsInsideSqrt = epsInsideSqrt;
    }

    /**
     * Adagrad exactly as Karpathy's min-char-rnn: mem += g^2; w -= lr * g / sqrt(mem + 1e-8).
     *
     * @param module the module whose parameters to update
     * @param learningRate the learning rate (min-char-rnn uses 0.1)
     * @return the optimizer
     */
    public static Adagrad minCharRnn(Module module, double learningRate) {
        return new Adagrad(of(module), learningRate, 1e-8, true);
    }

    @Override
    protected void update(int index, double[] w, double[] g, int step) {
        ParameterUpdates.adagrad(w, g, buffer(0, index), learningRate(), eps, epsInsideSqrt);
    }

    /** @return {@code Adagrad} */
    @Override
    public String type() {
        return "Adagrad";
    }

    @Override
    protected String settings() {
        return "eps=" + eps + (epsInsideSqrt ? " inside sqrt" : "");
    }
}
