package dev.unroll.nn.optim;

import dev.unroll.nn.Module;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Adam (Kingma and Ba), and with decoupled weight decay {@link AdamW} (Loshchilov and Hutter),
 * as PyTorch's {@code torch.optim.Adam} and {@code AdamW}. Per step t of a parameter, with its
 * group's lr, betas, eps and weight_decay:
 * <pre>
 * g = -g                                          maximize only
 * w = w * (1 - lr * weightDecay)                  AdamW only
 * g = g + weightDecay * w                         Adam with weight decay (L2) only
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * vMax = max(vMax, v); v' = vMax                  amsgrad (Reddi et al.), else v' = v
 * w = w - lr / (1 - beta1^t) * m / (sqrt(v') / sqrt(1 - beta2^t) + eps)
 * </pre>
 * Build one with {@link #options()}, e.g. {@code Adam.options().lr(1e-3).amsgrad(true).build(model)}.
 */
public class Adam extends Optimizer {

    static final StateSlot EXP_AVG = StateSlot.finite("exp_avg");
    static final StateSlot EXP_AVG_SQ = StateSlot.nonNegative("exp_avg_sq");
    static final StateSlot MAX_EXP_AVG_SQ = StateSlot.nonNegative("max_exp_avg_sq");

    private final boolean decoupled;

    /**
     * Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay, and this
     * learning rate; the short form of {@code Adam.options().lr(learningRate).build(module)}.
     *
     * @param module the module whose parameters to update
     * @param learningRate the learning rate
     */
    public Adam(Module module, double learningRate) {
        this(options().lr(learningRate).resolve(module.namedParameters()));
    }

    private Adam(List<ParamGroup> groups) {
        this(groups, false);
    }

    Adam(List<ParamGroup> groups, boolean decoupled) {
        super(groups, EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ);
        this.decoupled = decoupled;
    }

    /** @return PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, no amsgrad, minimising */
    public static Options<? extends Adam> options() {
        return new Options<>("Adam", Adam::new);
    }

    @Override
    protected final void update(int index, double[] w, double[] g, int step, ParamGroup group) {
        Options<?> o = (Options<?>) group.options();
        double[] m = buffer(0, index);
        double[] v = buffer(1, index);
        double[] vMax = buffer(2, index);
        double lr = group.learningRate();
        double beta1 = o.beta1;
        double beta2 = o.beta2;
        double eps = o.eps;
        double stepSize = lr / (1 - Math.pow(beta1, step));
        double secondCorrection = Math.sqrt(1 - Math.pow(beta2, step));
        double shrink = decoupled ? 1 - lr * o.weightDecay() : 1.0;
        double[] d = decayedGradient(index, w, g, decoupled ? 0 : o.weightDecay(), o.maximize());
        for (int k = 0; k < w.length; k++) {
            w[k] *= shrink;
            m[k] = beta1 * m[k] + (1 - beta1) * d[k];
            v[k] = beta2 * v[k] + (1 - beta2) * d[k] * d[k];
            double second = v[k];
            if (vMax != null) {
                vMax[k] = Math.max(vMax[k], v[k]);
                second = vMax[k];
            }
            w[k] -= stepSize * m[k] / (Math.sqrt(second) / secondCorrection + eps);
        }
    }

    /** @return {@code Adam}, or {@code AdamW} with decoupled weight decay */
    @Override
    public String type() {
        return decoupled ? "AdamW" : "Adam";
    }

    /**
     * The options of {@code torch.optim.Adam} and {@code AdamW}: those of every optimizer (lr,
     * weight_decay, maximize) and betas, eps, amsgrad.
     *
     * @param <T> the optimizer built, {@link Adam} or {@link AdamW}
     */
    public static final class Options<T extends Adam> extends OptimizerOptions<Options<T>, T> {

        private final Function<List<ParamGroup>, T> factory;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private boolean amsgrad;

        Options(String optimizer, Function<List<ParamGroup>, T> factory) {
            super(optimizer, 1e-3);
            this.factory = factory;
        }

        /**
         * @param first {@code betas[0]}: decay of the first-moment (gradient) average, in [0, 1)
         * @param second {@code betas[1]}: decay of the second-moment (squared gradient) average, in [0, 1)
         * @return these options with those betas
         */
        public Options<T> betas(double first, double second) {
            double checkedFirst = fraction("betas[0]", first);
            double checkedSecond = fraction("betas[1]", second);
            return with(o -> {
                o.beta1 = checkedFirst;
                o.beta2 = checkedSecond;
            });
        }

        /**
         * @param value {@code eps}, added to the denominator; positive (0 would divide 0 by 0
         *     where a gradient has always been 0)
         * @return these options with that eps
         */
        public Options<T> eps(double value) {
            double checked = positive("eps", value);
            return with(o -> o.eps = checked);
        }

        /**
         * @param on {@code amsgrad}: divide by the largest second moment so far instead of the
         *     current one (keeps the buffer {@code max_exp_avg_sq})
         * @return these options with or without AMSGrad
         */
        public Options<T> amsgrad(boolean on) {
            return with(o -> o.amsgrad = on);
        }

        /** @return betas[0] */
        public double beta1() {
            return beta1;
        }

        /** @return betas[1] */
        public double beta2() {
            return beta2;
        }

        /** @return eps */
        public double eps() {
            return eps;
        }

        /** @return whether AMSGrad is on */
        public boolean amsgrad() {
            return amsgrad;
        }

        @Override
        protected T create(List<ParamGroup> groups) {
            return factory.apply(groups);
        }

        @Override
        protected List<StateSlot> slots() {
            return amsgrad ? List.of(EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ) : List.of(EXP_AVG, EXP_AVG_SQ);
        }

        @Override
        protected void write(Map<String, String> out) {
            out.put("betas", pairText(beta1, beta2));
            out.put("eps", Double.toString(eps));
            out.put("amsgrad", Boolean.toString(amsgrad));
        }

        @Override
        protected Options<T> read(Map<String, String> in) {
            double[] betas = pair(in, "betas");
            return betas(betas[0], betas[1]).eps(number(in, "eps")).amsgrad(flag(in, "amsgrad"));
        }

        @Override
        protected String describe() {
            return "betas=(" + beta1 + ", " + beta2 + "), eps=" + eps + ", weightDecay=" + weightDecay()
                    + (amsgrad ? ", amsgrad" : "") + (maximize() ? ", maximize" : "");
        }
    }
}
