package dev.unroll.nn.optim;

import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import java.util.Map;

/**
 * Adam (Kingma and Ba), and with decoupled weight decay AdamW (Loshchilov and Hutter), as
 * PyTorch's {@code torch.optim.Adam} and {@code AdamW}. Per step t of a parameter:
 * <pre>
 * w = w * (1 - lr * weightDecay)                  AdamW only
 * g = g + weightDecay * w                         Adam with weight decay (L2) only
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * w = w - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 */
public class Adam extends Optimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;

    /**
     * Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay.
     *
     * @param module the module whose parameters to update
     * @param learningRate the learning rate
     */
    public Adam(Module module, double learningRate) {
        this(of(module), learningRate, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * Adam with every option; weight decay is an L2 term added to the gradient.
     *
     * @param parameters the parameters by name
     * @param learningRate the learning rate
     * @param beta1 decay of the first-moment average, in [0, 1)
     * @param beta2 decay of the second-moment average, in [0, 1)
     * @param eps the stabiliser
     * @param weightDecay L2 penalty factor
     */
    public Adam(Map<String, Parameter> parameters, double learningRate, double beta1, double beta2, double eps,
            double weightDecay) {
        this(parameters, learningRate, beta1, beta2, eps, weightDecay, false);
    }

    Adam(Map<String, Parameter> parameters, double learningRate, double beta1, double beta2, double eps,
            double weightDecay, boolean decoupled) {
        super(parameters, learningRate, StateSlot.finite("exp_avg"), StateSlot.nonNegative("exp_avg_sq"));
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || weightDecay < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": betas (" + beta1 + ", " + beta2
                    + ") must be in [0, 1), eps " + eps + " positive, weight decay " + weightDecay + " non-negative");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    protected final void update(int index, double[] w, double[] g, int step) {
        double[] m = buffer(0, index);
        double[] v = buffer(1, index);
        double lr = learningRate();
        double stepSize = lr / (1 - Math.pow(beta1, step));
        double secondCorrection = Math.sqrt(1 - Math.pow(beta2, step));
        double shrink = decoupled ? 1 - lr * weightDecay : 1.0;
        double l2 = decoupled ? 0.0 : weightDecay;
        for (int k = 0; k < w.length; k++) {
            w[k] *= shrink;
            double d = g[k] + l2 * w[k];
            m[k] = beta1 * m[k] + (1 - beta1) * d;
            v[k] = beta2 * v[k] + (1 - beta2) * d * d;
            w[k] -= stepSize * m[k] / (Math.sqrt(v[k]) / secondCorrection + eps);
        }
    }

    /** @return {@code Adam}, or {@code AdamW} with decoupled weight decay */
    @Override
    public String type() {
        return decoupled ? "AdamW" : "Adam";
    }

    @Override
    protected String settings() {
        return "betas=(" + beta1 + ", " + beta2 + "), eps=" + eps + ", weightDecay=" + weightDecay;
    }
}
