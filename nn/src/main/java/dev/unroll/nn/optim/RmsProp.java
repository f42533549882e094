package dev.unroll.nn.optim;

import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import java.util.Map;

/**
 * RMSProp, as PyTorch's {@code torch.optim.RMSprop} (not centred). Per step:
 * <pre>
 * g = g + weightDecay * w
 * v = alpha * v + (1 - alpha) * g^2
 * b = momentum * b + g / (sqrt(v) + eps);  w = w - lr * b     with momentum
 * w = w - lr * g / (sqrt(v) + eps)                            without
 * </pre>
 */
public final class RmsProp extends Optimizer {

    private final double alpha;
    private final double eps;
    private final double momentum;
    private final double weightDecay;

    /**
     * RMSProp with PyTorch's defaults: alpha 0.99, eps 1e-8, no momentum, no weight decay.
     *
     * @param module the module whose parameters to update
     * @param learningRate the learning rate
     */
    public RmsProp(Module module, double learningRate) {
        this(of(module), learningRate, 0.99, 1e-8, 0, 0);
    }

    /**
     * RMSProp with every option.
     *
     * @param parameters the parameters by name
     * @param learningRate the learning rate
     * @param alpha smoothing of the squared-gradient average, in [0, 1)
     * @param eps the stabiliser
     * @param momentum momentum factor in [0, 1), 0 for none
     * @param weightDecay L2 penalty factor
     */
    public RmsProp(Map<String, Parameter> parameters, double learningRate, double alpha, double eps, double momentum,
            double weightDecay) {
        super(parameters, learningRate, StateSlot.nonNegative("square_avg"), StateSlot.finite("momentum_buffer"));
        if (!(alpha >= 0 && alpha < 1) || !(eps > 0) || !(momentum >= 0 && momentum < 1) || weightDecay < 0) {
            throw new IllegalArgumentException("RmsProp: alpha " + alpha + " and momentum " + momentum
                    + " must be in [0, 1), eps " + eps + " positive, weight decay " + weightDecay + " non-negative");
        }
        this.alpha = alpha;
        this.eps = eps;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    protected void update(int index, double[] w, double[] g, int step) {
        double[] v = buffer(0, index);
        double[] b = buffer(1, index);
        double lr = learningRate();
        for (int k = 0; k < w.length; k++) {
            double d = g[k] + weightDecay * w[k];
            v[k] = alpha * v[k] + (1 - alpha) * d * d;
            double scaled = d / (Math.sqrt(v[k]) + eps);
            if (momentum != 0) {
                b[k] = momentum * b[k] + scaled;
                scaled = b[k];
            }
            w[k] -= lr * scaled;
        }
    }

    /** @return {@code RmsProp} */
    @Override
    public String type() {
        return "RmsProp";
    }

    @Override
    protected String settings() {
        return "alpha=" + alpha + ", eps=" + eps + ", momentum=" + momentum + ", weightDecay=" + weightDecay;
    }
}
