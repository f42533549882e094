package dev.unroll.nn.optim;

import dev.unroll.nn.Module;
import java.util.List;
import java.util.Map;

/**
 * RMSProp, as PyTorch's {@code torch.optim.RMSprop}. Per step, with the group's lr, alpha, eps,
 * momentum, weight_decay:
 * <pre>
 * g = -g                                                   maximize only
 * g = g + weightDecay * w
 * v = alpha * v + (1 - alpha) * g^2
 * a = alpha * a + (1 - alpha) * g;  r = sqrt(v - a^2) + eps   centered (Graves 2013)
 * r = sqrt(v) + eps                                        not centered
 * b = momentum * b + g / r;  w = w - lr * b                with momentum
 * w = w - lr * g / r                                       without
 * </pre>
 * Build one with {@link #options()}, e.g. {@code RmsProp.options().lr(1e-3).centered(true).momentum(0.9).build(model)}.
 */
public final class RmsProp extends Optimizer {

    static final StateSlot SQUARE_AVG = StateSlot.nonNegative("square_avg");
    static final StateSlot MOMENTUM_BUFFER = StateSlot.finite("momentum_buffer");
    static final StateSlot GRAD_AVG = StateSlot.finite("grad_avg");

    /**
     * RMSProp with PyTorch's defaults (alpha 0.99, eps 1e-8, no momentum, not centered, no
     * weight decay) and this learning rate; the short form of
     * {@code RmsProp.options().lr(learningRate).build(module)}.
     *
     * @param module the module whose parameters to update
     * @param learningRate the learning rate
     */
    public RmsProp(Module module, double learningRate) {
        this(options().lr(learningRate).resolve(module.namedParameters()));
    }

    private RmsProp(List<ParamGroup> groups) {
        super(groups, SQUARE_AVG, MOMENTUM_BUFFER, GRAD_AVG);
    }

    /** @return PyTorch's defaults: lr 1e-2, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, not centered, minimising */
    public static Options options() {
        return new Options();
    }

    @Override
    protected void update(int index, double[] w, double[] g, int step, ParamGroup group) {
        Options o = (Options) group.options();
        double[] d = decayedGradient(index, w, g, o.weightDecay(), o.maximize());
        double[] v = buffer(0, index);
        double[] b = buffer(1, index);
        double[] a = buffer(2, index);
        double lr = group.learningRate();
        double alpha = o.alpha;
        for (int k = 0; k < w.length; k++) {
            v[k] = alpha * v[k] + (1 - alpha) * d[k] * d[k];
            double r;
            if (a != null) {
                a[k] = alpha * a[k] + (1 - alpha) * d[k];
                r = Math.sqrt(v[k] - a[k] * a[k]) + o.eps;
            } else {
                r = Math.sqrt(v[k]) + o.eps;
            }
            double scaled = d[k] / r;
            if (b != null) {
                b[k] = o.momentum * b[k] + scaled;
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

    /** The options of {@code torch.optim.RMSprop}: those of every optimizer (lr, weight_decay, maximize) and alpha, eps, momentum, centered. */
    public static final class Options extends OptimizerOptions<Options, RmsProp> {

        private double alpha = 0.99;
        private double eps = 1e-8;
        private double momentum;
        private boolean centered;

        Options() {
            super("RmsProp", 1e-2);
        }

        /**
         * @param factor {@code alpha}: smoothing of the squared-gradient average, in [0, 1)
         * @return these options with that alpha
         */
        public Options alpha(double factor) {
            double checked = fraction("alpha", factor);
            return with(o -> o.alpha = checked);
        }

        /**
         * @param value {@code eps}, added to the root; positive
         * @return these options with that eps
         */
        public Options eps(double value) {
            double checked = positive("eps", value);
            return with(o -> o.eps = checked);
        }

        /**
         * @param factor {@code momentum}, in [0, 1); 0 keeps no momentum buffer
         * @return these options with that momentum
         */
        public Options momentum(double factor) {
            double checked = fraction("momentum", factor);
            return with(o -> o.momentum = checked);
        }

        /**
         * @param on {@code centered}: divide by the estimated variance of the gradient rather than
         *     its second moment (keeps the buffer {@code grad_avg})
         * @return these options, centered or not
         */
        public Options centered(boolean on) {
            return with(o -> o.centered = on);
        }

        /** @return alpha */
        public double alpha() {
            return alpha;
        }

        /** @return eps */
        public double eps() {
            return eps;
        }

        /** @return the momentum factor */
        public double momentum() {
            return momentum;
        }

        /** @return whether the variance is centered */
        public boolean centered() {
            return centered;
        }

        @Override
        protected RmsProp create(List<ParamGroup> groups) {
            return new RmsProp(groups);
        }

        @Override
        protected List<StateSlot> slots() {
            if (momentum == 0) {
                return centered ? List.of(SQUARE_AVG, GRAD_AVG) : List.of(SQUARE_AVG);
            }
            return centered ? List.of(SQUARE_AVG, MOMENTUM_BUFFER, GRAD_AVG) : List.of(SQUARE_AVG, MOMENTUM_BUFFER);
        }

        @Override
        protected void write(Map<String, String> out) {
            out.put("alpha", Double.toString(alpha));
            out.put("eps", Double.toString(eps));
            out.put("momentum", Double.toString(momentum));
            out.put("centered", Boolean.toString(centered));
        }

        @Override
        protected Options read(Map<String, String> in) {
            return alpha(number(in, "alpha")).eps(number(in, "eps")).momentum(number(in, "momentum"))
                    .centered(flag(in, "centered"));
        }

        @Override
        protected String describe() {
            return "alpha=" + alpha + ", eps=" + eps + ", momentum=" + momentum + ", weightDecay=" + weightDecay()
                    + (centered ? ", centered" : "") + (maximize() ? ", maximize" : "");
        }
    }
}
