package dev.unroll.nn.optim;

import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
 * as PyTorch's {@code torch.optim.SGD}. Per step, with gradient g and weight w:
 * <pre>
 * g = g + weightDecay * w
 * b = g                                   on a parameter's first step
 * b = momentum * b + (1 - dampening) * g  afterwards
 * d = nesterov ? g + momentum * b : b     (d = g without momentum)
 * w = w - lr * d
 * </pre>
 */
public final class Sgd extends Optimizer {

    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;

    /**
     * Plain SGD: w = w - lr * g.
     *
     * @param module the module whose parameters to update
     * @param learningRate the learning rate
     */
    public Sgd(Module module, double learningRate) {
        this(of(module), learningRate, 0, 0, false, 0);
    }

    /**
     * SGD with every option.
     *
     * @param parameters the parameters by name
     * @param learningRate the learning rate
     * @param momentum momentum factor in [0, 1), 0 for none
     * @param dampening dampening of the momentum's gradient term
     * @param nesterov whether to use Nesterov momentum (needs momentum &gt; 0 and dampening 0)
     * @param weightDecay L2 penalty factor
     */
    public Sgd(Map<String, Parameter> parameters, double learningRate, double momentum, double dampening,
            boolean nesterov, double weightDecay) {
        super(parameters, learningRate, StateSlot.finite("momentum_buffer"));
        if (!(momentum >= 0 && momentum < 1) || dampening < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("Sgd: momentum " + momentum + " must be in [0, 1), dampening "
                    + dampening + " and weight decay " + weightDecay + " non-negative");
        }
        if (nesterov && (momentum == 0 || dampening != 0)) {
            throw new IllegalArgumentException("Sgd: Nesterov momentum needs momentum > 0 and dampening 0");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    /**
     * SGD with momentum.
     *
     * @param module the module whose parameters to update
     * @param learningRate the learning rate
     * @param momentum momentum factor in [0, 1)
     * @param nesterov whether to use Nesterov momentum
     * @return the optimizer
     */
    public static Sgd withMomentum(Module module, double learningRate, double momentum, boolean nesterov) {
        return new Sgd(of(module), learningRate, momentum, 0, nesterov, 0);
    }

    @Override
    protected void update(int index, double[] w, double[] g, int step) {
        double[] b = buffer(0, index);
        double lr = learningRate();
        for (int k = 0; k < w.length; k++) {
            double d = g[k] + weightDecay * w[k];
            if (momentum != 0) {
                b[k] = step == 1 ? d : momentum * b[k] + (1 - dampening) * d;
                d = nesterov ? d + momentum * b[k] : b[k];
            }
            w[k] -= lr * d;
        }
    }

    /** @return {@code Sgd} */
    @Override
    public String type() {
        return "Sgd";
    }

    @Override
    protected String settings() {
        return "momentum=" + momentum + (dampening == 0 ? "" : ", dampening=" + dampening)
                + (nesterov ? ", nesterov" : "") + ", weightDecay=" + weightDecay;
    }
}
