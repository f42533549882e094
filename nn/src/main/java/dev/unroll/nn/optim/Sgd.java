package dev.unroll.nn.optim;

import dev.unroll.nn.Module;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
 * as PyTorch's {@code torch.optim.SGD}. Per step, with gradient g and weight w and the group's
 * lr, momentum, dampening, weight_decay:
 * <pre>
 * g = -g                                  maximize only
 * g = g + weightDecay * w
 * b = g                                   on a parameter's first step
 * b = momentum * b + (1 - dampening) * g  afterwards
 * d = nesterov ? g + momentum * b : b     (d = g without momentum, and no buffer b is kept)
 * w = w - lr * d
 * </pre>
 * Build one with {@link #options()}, e.g. {@code Sgd.options().lr(0.1).momentum(0.9).nesterov(true).build(model)}.
 */
public final class Sgd extends Optimizer {

    static final StateSlot MOMENTUM_BUFFER = StateSlot.finite("momentum_buffer");

    /**
     * Plain SGD, w = w - lr * g; the short form of {@code Sgd.options().lr(learningRate).build(module)}.
     *
     * @param module the module whose parameters to update
     * @param learningRate the learning rate
     */
    public Sgd(Module module, double learningRate) {
        this(options().lr(learningRate).resolve(module.namedParameters()));
    }

    private Sgd(List<ParamGroup> groups) {
        super(groups, MOMENTUM_BUFFER);
    }

    /** @return PyTorch's defaults (momentum 0, dampening 0, weight_decay 0, no nesterov, minimising) and no learning rate yet: set one with {@code lr}, as PyTorch requires */
    public static Options options() {
        return new Options();
    }

    @Override
    protected void update(int index, double[] w, double[] g, int step, ParamGroup group) {
        Options o = (Options) group.options();
        double lr = group.learningRate();
        double[] d = decayedGradient(index, w, g, o.weightDecay(), o.maximize());
        double[] b = buffer(0, index);
        if (b == null) {
            for (int k = 0; k < w.length; k++) {
                w[k] -= lr * d[k];
            }
            return;
        }
        double momentum = o.momentum;
        for (int k = 0; k < w.length; k++) {
            b[k] = step == 1 ? d[k] : momentum * b[k] + (1 - o.dampening) * d[k];
            w[k] -= lr * (o.nesterov ? d[k] + momentum * b[k] : b[k]);
        }
    }

    /** @return {@code Sgd} */
    @Override
    public String type() {
        return "Sgd";
    }

    /** The options of {@code torch.optim.SGD}: those of every optimizer (lr, weight_decay, maximize) and momentum, dampening, nesterov. */
    public static final class Options extends OptimizerOptions<Options, Sgd> {

        private double momentum;
        private double dampening;
        private boolean nesterov;

        Options() {
            super("Sgd", Double.NaN);
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
         * @param factor {@code dampening}: the gradient enters the momentum as (1 - dampening) g; zero or positive
         * @return these options with that dampening
         */
        public Options dampening(double factor) {
            double checked = nonNegative("dampening", factor);
            return with(o -> o.dampening = checked);
        }

        /**
         * @param on {@code nesterov}: Nesterov momentum, which needs momentum &gt; 0 and dampening 0
         * @return these options with or without it
         */
        public Options nesterov(boolean on) {
            return with(o -> o.nesterov = on);
        }

        /** @return the momentum factor */
        public double momentum() {
            return momentum;
        }

        /** @return the dampening */
        public double dampening() {
            return dampening;
        }

        /** @return whether Nesterov momentum is on */
        public boolean nesterov() {
            return nesterov;
        }

        @Override
        protected void validate() {
            require(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum needs momentum > 0 and "
                    + "dampening 0 (momentum " + momentum + ", dampening " + dampening + "); set momentum(0.9), say");
        }

        @Override
        protected Sgd create(List<ParamGroup> groups) {
            return new Sgd(groups);
        }

        @Override
        protected List<StateSlot> slots() {
            return momentum == 0 ? List.of() : List.of(MOMENTUM_BUFFER);
        }

        @Override
        protected void write(Map<String, String> out) {
            out.put("momentum", Double.toString(momentum));
            out.put("dampening", Double.toString(dampening));
            out.put("nesterov", Boolean.toString(nesterov));
        }

        @Override
        protected Options read(Map<String, String> in) {
            return momentum(number(in, "momentum")).dampening(number(in, "dampening")).nesterov(flag(in, "nesterov"));
        }

        @Override
        protected String describe() {
            return "momentum=" + momentum + (dampening == 0 ? "" : ", dampening=" + dampening)
                    + (nesterov ? ", nesterov" : "") + ", weightDecay=" + weightDecay() + (maximize() ? ", maximize" : "");
        }
    }
}
