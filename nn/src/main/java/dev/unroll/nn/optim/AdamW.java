package dev.unroll.nn.optim;

import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import java.util.Map;

/**
 * AdamW: Adam with decoupled weight decay, as PyTorch's {@code torch.optim.AdamW}; the weights
 * shrink by (1 - lr * weightDecay) before the Adam step instead of adding an L2 term to the
 * gradient (see {@link Adam} for the full rule).
 */
public final class AdamW extends Adam {

    /**
     * AdamW with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01.
     *
     * @param module the module whose parameters to update
     * @param learningRate the learning rate
     */
    public AdamW(Module module, double learningRate) {
        this(of(module), learningRate, 0.9, 0.999, 1e-8, 0.01);
    }

    /**
     * AdamW with every option.
     *
     * @param parameters the parameters by name
     * @param learningRate the learning rate
     * @param beta1 decay of the first-moment average
     * @param beta2 decay of the second-moment average
     * @param eps the stabiliser
     * @param weightDecay decoupled decay factor
     */
    public AdamW(Map<String, Parameter> parameters, double learningRate, double beta1, double beta2, double eps,
            double weightDecay) {
        super(parameters, learningRate, beta1, beta2, eps, weightDecay, true);
    }
}
