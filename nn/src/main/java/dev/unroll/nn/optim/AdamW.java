package dev.unroll.nn.optim;

import dev.unroll.nn.Module;
import java.util.List;

/**
 * AdamW: Adam with decoupled weight decay, as PyTorch's {@code torch.optim.AdamW}; the weights
 * shrink by (1 - lr * weightDecay) before the Adam step instead of adding an L2 term to the
 * gradient (see {@link Adam} for the full rule). Build one with {@link #options()}, e.g.
 * {@code AdamW.options().lr(1e-3).weightDecay(0.1).group(ParameterFilter.vectors(), g -> g.weightDecay(0)).build(model)}.
 */
public final class AdamW extends Adam {

    /**
     * AdamW with PyTorch's defaults (betas (0.9, 0.999), eps 1e-8, weight decay 0.01) and this
     * learning rate; the short form of {@code AdamW.options().lr(learningRate).build(module)}.
     *
     * @param module the module whose parameters to update
     * @param learningRate the learning rate
     */
    public AdamW(Module module, double learningRate) {
        this(options().lr(learningRate).resolve(module.namedParameters()));
    }

    private AdamW(List<ParamGroup> groups) {
        super(groups, true);
    }

    /** @return PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0.01, no amsgrad, minimising */
    public static Adam.Options<AdamW> options() {
        return new Adam.Options<>("AdamW", AdamW::new).weightDecay(0.01);
    }
}
