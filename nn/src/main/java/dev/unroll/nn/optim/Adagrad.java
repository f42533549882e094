package dev.unroll.nn.optim;

import dev.unroll.autograd.internal.ParameterUpdates;
import dev.unroll.nn.Module;
import java.util.List;
import java.util.Map;

/**
 * Adagrad: each weight's step shrinks with the sum of its squared gradients, as PyTorch's
 * {@code torch.optim.Adagrad}. Per step t of a parameter, with the group's lr, lr_decay, eps,
 * weight_decay, and s starting at initial_accumulator_value:
 * <pre>
 * g = -g                                 maximize only
 * g = g + weightDecay * w
 * lr_t = lr / (1 + (t - 1) * lrDecay)
 * s = s + g^2
 * w = w - lr_t * g / (sqrt(s) + eps)     PyTorch (eps 1e-10)
 * w = w - lr_t * g / sqrt(s + eps)       min-char-rnn (eps 1e-8, {@code epsInsideSqrt}), see {@link #minCharRnn}
 * </pre>
 * Build one with {@link #options()}, e.g. {@code Adagrad.options().lr(0.1).lrDecay(1e-4).build(model)}.
 */
public final class Adagrad extends Optimizer {

    static final StateSlot SUM = StateSlot.nonNegative("sum");

    /**
     * PyTorch's Adagrad with its defaults (eps 1e-10 added outside the square root, no decay)
     * and this learning rate; the short form of {@code Adagrad.options().lr(learningRate).build(module)}.
     *
     * @param module the module whose parameters to update
     * @param learningRate the learning rate
     */
    public Adagrad(Module module, double learningRate) {
        this(options().lr(learningRate).resolve(module.namedParameters()));
    }

    private Adagrad(List<ParamGroup> groups) {
        super(groups, SUM);
    }

    /** @return PyTorch's defaults: lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10 outside the root, minimising */
    public static Options options() {
        return new Options();
    }

    /**
     * Adagrad exactly as Karpathy's min-char-rnn: mem += g^2; w -= lr * g / sqrt(mem + 1e-8).
     *
     * @param module the module whose parameters to update
     * @param learningRate the learning rate (min-char-rnn uses 0.1)
     * @return the optimizer
     */
    public static Adagrad minCharRnn(Module module, double learningRate) {
        return options().lr(learningRate).eps(1e-8).epsInsideSqrt(true).build(module);
    }

    @Override
    protected void update(int index, double[] w, double[] g, int step, ParamGroup group) {
        Options o = (Options) group.options();
        double[] d = decayedGradient(index, w, g, o.weightDecay(), o.maximize());
        double lr = group.learningRate() / (1 + (step - 1) * o.lrDecay);
        ParameterUpdates.adagrad(w, d, buffer(0, index), lr, o.eps, o.epsInsideSqrt);
    }

    /** @return {@code Adagrad} */
    @Override
    public String type() {
        return "Adagrad";
    }

    /**
     * The options of {@code torch.optim.Adagrad}: those of every optimizer (lr, weight_decay,
     * maximize) and lr_decay, initial_accumulator_value, eps; and where eps goes (min-char-rnn's
     * variant, not in PyTorch).
     */
    public static final class Options extends OptimizerOptions<Options, Adagrad> {

        private double lrDecay;
        private double initialAccumulatorValue;
        private double eps = 1e-10;
        private boolean epsInsideSqrt;

        Options() {
            super("Adagrad", 1e-2);
        }

        /**
         * @param factor {@code lr_decay}: the t-th update of a parameter uses lr / (1 + (t - 1) lr_decay); zero or positive
         * @return these options with that decay
         */
        public Options lrDecay(double factor) {
            double checked = nonNegative("lr_decay", factor);
            return with(o -> o.lrDecay = checked);
        }

        /**
         * @param value {@code initial_accumulator_value}: where the sum of squared gradients starts; zero or positive
         * @return these options with that start
         */
        public Options initialAccumulatorValue(double value) {
            double checked = nonNegative("initial_accumulator_value", value);
            return with(o -> o.initialAccumulatorValue = checked);
        }

        /**
         * @param value {@code eps}, the small constant that keeps the division finite; positive
         * @return these options with that eps
         */
        public Options eps(double value) {
            double checked = positive("eps", value);
            return with(o -> o.eps = checked);
        }

        /**
         * @param inside true for sqrt(s + eps) as in min-char-rnn, false for sqrt(s) + eps as in PyTorch
         * @return these options with eps placed so
         */
        public Options epsInsideSqrt(boolean inside) {
            return with(o -> o.epsInsideSqrt = inside);
        }

        /** @return lr_decay */
        public double lrDecay() {
            return lrDecay;
        }

        /** @return initial_accumulator_value */
        public double initialAccumulatorValue() {
            return initialAccumulatorValue;
        }

        /** @return eps */
        public double eps() {
            return eps;
        }

        /** @return whether eps is added inside the square root */
        public boolean epsInsideSqrt() {
            return epsInsideSqrt;
        }

        @Override
        protected Adagrad create(List<ParamGroup> groups) {
            return new Adagrad(groups);
        }

        @Override
        protected List<StateSlot> slots() {
            return List.of(SUM);
        }

        @Override
        protected double initialValue(StateSlot slot) {
            return initialAccumulatorValue;
        }

        @Override
        protected void write(Map<String, String> out) {
            out.put("lr_decay", Double.toString(lrDecay));
            out.put("initial_accumulator_value", Double.toString(initialAccumulatorValue));
            out.put("eps", Double.toString(eps));
            out.put("eps_inside_sqrt", Boolean.toString(epsInsideSqrt));
        }

        @Override
        protected Options read(Map<String, String> in) {
            return lrDecay(number(in, "lr_decay")).initialAccumulatorValue(number(in, "initial_accumulator_value"))
                    .eps(number(in, "eps")).epsInsideSqrt(flag(in, "eps_inside_sqrt"));
        }

        @Override
        protected String describe() {
            return "eps=" + eps + (epsInsideSqrt ? " inside sqrt" : "") + (lrDecay == 0 ? "" : ", lrDecay=" + lrDecay)
                    + (initialAccumulatorValue == 0 ? "" : ", initialAccumulatorValue=" + initialAccumulatorValue)
                    + (weightDecay() == 0 ? "" : ", weightDecay=" + weightDecay()) + (maximize() ? ", maximize" : "");
        }
    }
}
