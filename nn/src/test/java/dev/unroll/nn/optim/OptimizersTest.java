package dev.unroll.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each optimizer takes a few steps on a two-element parameter with known gradients; the
 * expected values are computed here by hand from the published update rules.
 */
class OptimizersTest {

    private static final double[][] GRADS = {{0.5, -1.0}, {0.2, 0.4}, {-0.3, 0.1}};
    private static final double[] START = {1.0, -2.0};

    private static Map<String, Parameter> params(Parameter p) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("w", p);
        return m;
    }

    /** Runs the optimizer over GRADS and returns the weights after each step. */
    private static double[][] run(Parameter p, Optimizer opt) {
        double[][] out = new double[GRADS.length][];
        for (int s = 0; s < GRADS.length; s++) {
            opt.zeroGrad();
            p.gradBuffer();
            System.arraycopy(GRADS[s], 0, p.gradMatrix().data, 0, 2);
            opt.step();
            out[s] = p.data().clone();
        }
        return out;
    }

    private static Parameter start() {
        return Parameter.of(Tensor.row(START));
    }

    /**
     * Builds an optimizer over one parameter holding 1.0, steps it with each gradient in turn,
     * and asserts the weight after each step.
     */
    private static void assertSteps(Function<Map<String, Parameter>, Optimizer> optimizer, double[] grads,
            double... expected) {
        Parameter p = Parameter.of(Tensor.scalar(1.0));
        Optimizer opt = optimizer.apply(params(p));
        for (int s = 0; s < grads.length; s++) {
            opt.zeroGrad();
            p.gradBuffer().data[0] = grads[s];
            opt.step();
            assertEquals(expected[s], p.data()[0], 1e-15, "step " + (s + 1));
        }
    }

    @Test
    void plainSgdSubtractsTheScaledGradient() {
        Parameter p = start();
        double[][] got = run(p, Sgd.options().lr(0.1).build(params(p)));
        // w = w - 0.1 g: [1 - 0.05, -2 + 0.1], then [0.95 - 0.02, -1.9 - 0.04], then [0.93 + 0.03, -1.94 - 0.01]
        assertArrayEquals(new double[] {0.95, -1.9}, got[0], 1e-15);
        assertArrayEquals(new double[] {0.93, -1.94}, got[1], 1e-15);
        assertArrayEquals(new double[] {0.96, -1.95}, got[2], 1e-15);
    }

    @Test
    void sgdWithMomentumAndWeightDecayFollowsPyTorch() {
        double[] grads = {0.5, -1.0, 0.2};
        // lr 0.1, momentum 0.9, weight decay 0.1, w = 1:
        // 1: d = 0.5 + 0.1 * 1 = 0.6;            b = d = 0.6;                          w = 1 - 0.06 = 0.94
        // 2: d = -1 + 0.1 * 0.94 = -0.906;       b = 0.9 * 0.6 - 0.906 = -0.366;       w = 0.94 + 0.0366 = 0.9766
        // 3: d = 0.2 + 0.1 * 0.9766 = 0.29766;   b = 0.9 * -0.366 + 0.29766 = -0.03174; w = 0.9766 + 0.003174 = 0.979774
        assertSteps(params -> Sgd.options().lr(0.1).momentum(0.9).weightDecay(0.1).build(params), grads,
                0.94, 0.9766, 0.979774);
    }

    @Test
    void sgdWithNesterovMomentumFollowsPyTorch() {
        double[] grads = {0.5, -1.0, 0.2};
        // as above, but the step is d + 0.9 b:
        // 1: d = 0.6;                              b = 0.6;        step 0.6 + 0.54 = 1.14;           w = 1 - 0.114 = 0.886
        // 2: d = -1 + 0.0886 = -0.9114;            b = 0.54 - 0.9114 = -0.3714;
        //    step -0.9114 - 0.33426 = -1.24566;    w = 0.886 + 0.124566 = 1.010566
        // 3: d = 0.2 + 0.1010566 = 0.3010566;      b = -0.33426 + 0.3010566 = -0.0332034;
        //    step 0.3010566 - 0.02988306 = 0.27117354; w = 1.010566 - 0.027117354 = 0.983448646
        assertSteps(params -> Sgd.options().lr(0.1).momentum(0.9).nesterov(true).weightDecay(0.1).build(params), grads,
                0.886, 1.010566, 0.983448646);
    }

    @Test
    void sgdWithDampeningDampsAllButTheFirstMomentumStep() {
        double[] grads = {0.5, -1.0, 0.2};
        // lr 0.1, momentum 0.9, dampening 0.5 (PyTorch: the first step sets b = g undamped):
        // 1: b = 0.5;                          w = 1 - 0.05 = 0.95
        // 2: b = 0.45 + 0.5 * -1 = -0.05;      w = 0.95 + 0.005 = 0.955
        // 3: b = -0.045 + 0.5 * 0.2 = 0.055;   w = 0.955 - 0.0055 = 0.9495
        assertSteps(params -> Sgd.options().lr(0.1).momentum(0.9).dampening(0.5).build(params), grads, 0.95, 0.955, 0.9495);
    }

    @Test
    void adagradWithEpsInsideTheSquareRootFollowsMinCharRnn() {
        double[] grads = {3, 3, -12};
        // lr 0.5, eps 7 inside: w -= 0.5 g / sqrt(s + 7)
        // 1: s = 9;   sqrt(16) = 4;   w = 1 - 0.5 * 3 / 4 = 0.625
        // 2: s = 18;  sqrt(25) = 5;   w = 0.625 - 0.5 * 3 / 5 = 0.325
        // 3: s = 162; sqrt(169) = 13; w = 0.325 + 0.5 * 12 / 13 = 0.325 + 6/13 = 0.78653846153846...
        assertSteps(params -> Adagrad.options().lr(0.5).eps(7).epsInsideSqrt(true).build(params), grads,
                0.625, 0.325, 0.7865384615384616);
        assertEquals(-0.1 + 1.0, firstStepOfMinCharRnnAdagrad(), 1e-8);
    }

    @Test
    void adagradWithEpsOutsideTheSquareRootFollowsPyTorch() {
        double[] grads = {3, 4, -12};
        // lr 0.5, eps 1 outside: w -= 0.5 g / (sqrt(s) + 1)
        // 1: s = 9;   3 + 1 = 4;    w = 1 - 0.5 * 3 / 4 = 0.625
        // 2: s = 25;  5 + 1 = 6;    w = 0.625 - 0.5 * 4 / 6 = 0.625 - 1/3 = 0.29166666666666...
        // 3: s = 169; 13 + 1 = 14;  w = 0.2916666... + 0.5 * 12 / 14 = 0.2916666... + 3/7 = 0.72023809523809...
        assertSteps(params -> Adagrad.options().lr(0.5).eps(1).build(params), grads,
                0.625, 0.2916666666666667, 0.7202380952380952);
    }

    private static double firstStepOfMinCharRnnAdagrad() {
        Parameter p = Parameter.of(Tensor.row(1.0));
        Map<String, Parameter> m = params(p);
        Adagrad a = Adagrad.options().lr(0.1).eps(1e-8).epsInsideSqrt(true).build(m);
        p.gradBuffer().data[0] = 3.0;
        a.step();
        return p.data()[0];
    }

    @Test
    void rmsPropFollowsPyTorch() {
        double[] grads = {4, -2, 2};
        // lr 0.1, alpha 0.75, eps 1: v = 0.75 v + 0.25 g^2; w -= 0.1 g / (sqrt(v) + 1)
        // 1: v = 0.25 * 16 = 4;        w = 1 - 0.1 * 4 / 3 = 13/15
        // 2: v = 3 + 0.25 * 4 = 4;     w = 13/15 + 0.1 * 2 / 3 = 14/15
        // 3: v = 3 + 1 = 4;            w = 14/15 - 0.1 * 2 / 3 = 13/15
        assertSteps(params -> RmsProp.options().lr(0.1).alpha(0.75).eps(1).build(params), grads,
                0.8666666666666667, 0.9333333333333333, 0.8666666666666667);
    }

    @Test
    void rmsPropWithMomentumFollowsPyTorch() {
        double[] grads = {4, -2, 2};
        // as above (v = 4 at every step), with b = 0.5 b + g / (sqrt(v) + 1); w -= 0.1 b
        // 1: b = 4/3;                      w = 1 - 0.4/3 = 13/15
        // 2: b = 2/3 - 2/3 = 0;            w = 13/15
        // 3: b = 0 + 2/3;                  w = 13/15 - 0.2/3 = 12/15 = 0.8
        assertSteps(params -> RmsProp.options().lr(0.1).alpha(0.75).eps(1).momentum(0.5).build(params), grads,
                0.8666666666666667, 0.8666666666666667, 0.8);
    }

    @Test
    void rmsPropWithWeightDecayFollowsPyTorch() {
        double[] grads = {3.5, -2.5};
        // weight decay 0.5: d = g + 0.5 w
        // 1: d = 3.5 + 0.5 = 4;  v = 4;                        w = 1 - 0.1 * 4 / 3 = 13/15
        // 2: d = -2.5 + 13/30 = -31/15;  v = 3 + 0.25 (31/15)^2 = 3661/900;  sqrt(v) = sqrt(3661) / 30
        //    w = 13/15 + 0.1 (31/15) / (sqrt(3661)/30 + 1) = 13/15 + 6.2 / (30 + sqrt(3661)) = 0.93517026238693...
        assertSteps(params -> RmsProp.options().lr(0.1).alpha(0.75).eps(1).weightDecay(0.5).build(params), grads,
                0.8666666666666667, 0.9351702623869365);
    }

    @Test
    void adamAppliesBiasCorrectionAndAdamWDecouplesTheDecay() {
        double lr = 0.01;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double wd = 0.1;
        for (boolean decoupled : new boolean[] {false, true}) {
            Parameter p = start();
            Optimizer opt = (decoupled ? AdamW.options() : Adam.options()).lr(lr).betas(b1, b2).eps(eps).weightDecay(wd)
                    .build(params(p));
            double[][] got = run(p, opt);
            double[] w = START.clone();
            double[] m = new double[2];
            double[] v = new double[2];
            for (int s = 0; s < 3; s++) {
                int t = s + 1;
                for (int k = 0; k < 2; k++) {
                    if (decoupled) {
                        w[k] *= 1 - lr * wd;
                    }
                    double g = GRADS[s][k] + (decoupled ? 0 : wd * w[k]);
                    m[k] = b1 * m[k] + (1 - b1) * g;
                    v[k] = b2 * v[k] + (1 - b2) * g * g;
                    double mHat = m[k] / (1 - Math.pow(b1, t));
                    double vHat = v[k] / (1 - Math.pow(b2, t));
                    w[k] -= lr * mHat / (Math.sqrt(vHat) + eps);
                }
                assertArrayEquals(w, got[s], 1e-12, (decoupled ? "AdamW" : "Adam") + " step " + t);
            }
        }
    }

    @Test
    void theFirstAdamStepMovesEachWeightByAboutTheLearningRate() {
        Parameter p = start();
        run(p, Adam.options().lr(0.001).build(params(p)));
        assertTrue(Math.abs(p.data()[0] - START[0]) < 0.0031);
    }

    @Test
    void aParameterTheBackwardPassDidNotReachGetsNoMomentumNoDecayAndNoStep() {
        Parameter used = start();
        Parameter unused = Parameter.of(Tensor.row(7.0));
        Map<String, Parameter> m = new LinkedHashMap<>(params(used));
        m.put("unused", unused);
        List<Optimizer> optimizers = List.of(
                Sgd.options().lr(0.1).momentum(0.9).weightDecay(0.1).build(m),
                Adam.options().lr(0.1).weightDecay(0.1).build(m), AdamW.options().lr(0.1).build(m),
                RmsProp.options().momentum(0.5).weightDecay(0.1).build(m), Adagrad.options().weightDecay(0.1).build(m));
        for (Optimizer opt : optimizers) {
            unused.gradBuffer().data[0] = 2;          // a gradient from an earlier pass ...
            opt.step();
            double afterOneStep = unused.data()[0];
            opt.zeroGrad();                           // ... forgotten; only 'w' takes part in the next passes
            for (int step = 0; step < 3; step++) {
                used.gradBuffer().data[0] = 1;
                opt.step();
                opt.zeroGrad();
            }
            assertEquals(afterOneStep, unused.data()[0], opt.type() + " left 'unused' alone");
            assertEquals(1, opt.state().parameterSteps().get("unused"), opt.type());
            assertEquals(3, opt.state().parameterSteps().get("w"), opt.type());
            unused.data()[0] = 7.0;
        }
    }

    @Test
    void stateRoundTripsAndRejectsAMismatch() {
        Parameter p = start();
        Adam a = Adam.options().lr(0.1).build(params(p));
        run(p, a);
        Parameter q = start();
        Adam b = Adam.options().lr(0.5).build(params(q));
        b.loadState(a.state());
        assertEquals(a.stepCount(), b.stepCount());
        assertEquals(0.1, b.groups().get(0).learningRate());
        assertArrayEquals(a.state().buffers().get("w.exp_avg").values(), b.state().buffers().get("w.exp_avg").values());
        OptimizerState s = a.state();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.loadState(new OptimizerState("Adam", s.step(), s.groups(), s.parameterSteps(), Map.of())));
        assertTrue(e.getMessage().contains("lacks 'w.exp_avg'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sgd.options().lr(0.1).build(params(q)).loadState(s));
        assertEquals("Sgd.loadState: the state is Adam state, this optimizer is Sgd; restore it into a Adam",
                e.getMessage());
    }

    @Test
    void loadingRestoresEachGroupsOptionsAndTheBuffersTheyUseAsPyTorchsLoadStateDict() {
        Parameter p = start();
        Adam saved = Adam.options().lr(0.1).amsgrad(true).weightDecay(0.2).build(params(p));
        run(p, saved);
        Adam plain = Adam.options().lr(0.5).build(params(start()));
        plain.loadState(saved.state());
        Adam.Options<?> restored = (Adam.Options<?>) plain.groups().get(0).options();
        assertTrue(restored.amsgrad());
        assertEquals(0.2, restored.weightDecay());
        assertEquals(saved.state().buffers().keySet(), plain.state().buffers().keySet());
        assertTrue(plain.state().buffers().containsKey("w.max_exp_avg_sq"));
        Parameter again = start();
        Adam continued = Adam.options().lr(0.1).amsgrad(true).weightDecay(0.2).build(params(again));
        run(again, continued);
        assertEquals(continued.state().buffers().get("w.max_exp_avg_sq").values()[1],
                plain.state().buffers().get("w.max_exp_avg_sq").values()[1]);
    }

    /** A copy of {@code s} with one option of group 0 set to {@code value}, or removed when it is null. */
    private static OptimizerState withOption(OptimizerState s, String option, String value) {
        OptimizerState.Group g = s.groups().get(0);
        Map<String, String> options = new LinkedHashMap<>(g.options());
        if (value == null) {
            options.remove(option);
        } else {
            options.put(option, value);
        }
        return new OptimizerState(s.type(), s.step(), List.of(new OptimizerState.Group(g.parameters(), g.learningRate(),
                options)), s.parameterSteps(), s.buffers());
    }

    /** Replaces one value of a buffer in a copy of the state. */
    private static OptimizerState poisoned(OptimizerState s, String key, double value) {
        Map<String, OptimizerState.Buffer> buffers = new LinkedHashMap<>(s.buffers());
        OptimizerState.Buffer b = buffers.get(key);
        double[] values = b.values().clone();
        values[values.length - 1] = value;
        buffers.put(key, new OptimizerState.Buffer(b.rows(), b.cols(), values));
        return new OptimizerState(s.type(), s.step(), s.groups(), s.parameterSteps(), buffers);
    }

    private static OptimizerState withRate(OptimizerState s, double rate) {
        OptimizerState.Group g = s.groups().get(0);
        return new OptimizerState(s.type(), s.step(), List.of(new OptimizerState.Group(g.parameters(), rate, g.options())),
                s.parameterSteps(), s.buffers());
    }

    @Test
    void poisonedStateIsRefusedBeforeAnythingChanges() {
        Parameter p = start();
        Adam a = Adam.options().lr(0.1).build(params(p));
        run(p, a);
        OptimizerState s = a.state();
        Map<String, OptimizerState> bad = new LinkedHashMap<>();
        bad.put("'w.exp_avg_sq' holds -1.0 at index 1, but exp_avg_sq must be finite and not negative",
                poisoned(s, "w.exp_avg_sq", -1));
        bad.put("'w.exp_avg' holds NaN at index 1, but exp_avg must be finite", poisoned(s, "w.exp_avg", Double.NaN));
        bad.put("group 0: lr: learning rate 1.0E308 must be a number from 0 to 1000000.0", withRate(s, 1e308));
        bad.put("the step count -3 is negative", new OptimizerState("Adam", -3, s.groups(), s.parameterSteps(), s.buffers()));
        bad.put("the step count of 'w' is 7, outside [0, " + s.step() + "]",
                new OptimizerState("Adam", s.step(), s.groups(), Map.of("w", 7), s.buffers()));
        bad.put("the state lacks the step count of 'w'",
                new OptimizerState("Adam", s.step(), s.groups(), Map.of(), s.buffers()));
        bad.put("group 0: Adam: betas[1] 1.5 must be in [0, 1)", withOption(s, "betas", "[0.9, 1.5]"));
        bad.put("group 0: 'eps' is 'tiny', not a number", withOption(s, "eps", "tiny"));
        bad.put("group 0: the settings lack 'amsgrad'", withOption(s, "amsgrad", null));
        bad.put("group 0: 'momentum' is not an option of Adam", withOption(s, "momentum", "0.9"));
        bad.put("the state lacks 'w.max_exp_avg_sq'", withOption(s, "amsgrad", "true"));
        for (Map.Entry<String, OptimizerState> e : bad.entrySet()) {
            Parameter q = start();
            Adam b = Adam.options().lr(0.5).build(params(q));
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> b.loadState(e.getValue()));
            assertTrue(refused.getMessage().contains(e.getKey()), refused.getMessage());
            assertEquals(0, b.stepCount());
            assertEquals(0.5, b.groups().get(0).learningRate());
            assertArrayEquals(new double[2], b.state().buffers().get("w.exp_avg_sq").values());
        }
    }

    @Test
    void toStringShowsTheSettings() {
        Parameter p = start();
        assertEquals("Adam(lr=0.002, betas=(0.9, 0.999), eps=1.0E-8, weightDecay=0.0; 1 parameters, step 0)",
                Adam.options().lr(0.002).build(params(p)).toString());
        assertEquals("Sgd(lr=0.1, momentum=0.9, nesterov, weightDecay=0.0; 1 parameters, step 0)",
                Sgd.options().lr(0.1).momentum(0.9).nesterov(true).build(params(p)).toString());
        assertEquals("AdamW(group 0: lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weightDecay=0.01, amsgrad; 1 parameters"
                + " | group 1: lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weightDecay=0.0, amsgrad; 1 parameters; step 0)",
                AdamW.options().amsgrad(true).group(ParameterFilter.vectors(), g -> g.weightDecay(0)).build(weightAndBias())
                        .toString());
    }

    private static Map<String, Parameter> weightAndBias() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("linear.weight", Parameter.of(Tensor.row(1.0, 2.0)));
        m.put("linear.bias", Parameter.vector(Tensor.row(3.0)));
        return m;
    }

    @Test
    void badSettingsAreRefusedWithTheOptionAndTheFix() {
        Parameter p = start();
        Map<String, Runnable> bad = new LinkedHashMap<>();
        bad.put("Sgd: learning rate -1.0 must be a number from 0 to 1000000.0", () -> Sgd.options().lr(-1));
        bad.put("Sgd: no learning rate; set one with lr(...), e.g. lr(0.1)", () -> Sgd.options().build(params(p)));
        bad.put("Sgd: Nesterov momentum needs momentum > 0 and dampening 0 (momentum 0.0, dampening 0.0); set "
                + "momentum(0.9), say", () -> Sgd.options().lr(0.1).nesterov(true).build(params(p)));
        bad.put("Sgd: Nesterov momentum needs momentum > 0 and dampening 0 (momentum 0.9, dampening 0.1); set "
                + "momentum(0.9), say", () -> Sgd.options().lr(0.1).nesterov(true).momentum(0.9).dampening(0.1)
                .build(params(p)));
        bad.put("Sgd: momentum -0.5 must be in [0, 1)", () -> Sgd.options().momentum(-0.5));
        bad.put("Sgd: dampening -1.0 must be zero or positive", () -> Sgd.options().dampening(-1));
        bad.put("Sgd: weight_decay -0.1 must be zero or positive", () -> Sgd.options().weightDecay(-0.1));
        bad.put("Adam: betas[0] 1.0 must be in [0, 1)", () -> Adam.options().betas(1.0, 0.999));
        bad.put("AdamW: betas[1] -0.1 must be in [0, 1)", () -> AdamW.options().betas(0.9, -0.1));
        bad.put("Adam: eps 0.0 must be positive", () -> Adam.options().eps(0));
        bad.put("Adam: no parameters to optimise", () -> Adam.options().build(Map.of()));
        bad.put("RmsProp: alpha 1.0 must be in [0, 1)", () -> RmsProp.options().alpha(1));
        bad.put("RmsProp: momentum NaN must be in [0, 1)", () -> RmsProp.options().momentum(Double.NaN));
        bad.put("RmsProp: eps -1.0E-8 must be positive", () -> RmsProp.options().eps(-1e-8));
        bad.put("Adagrad: lr_decay -0.01 must be zero or positive", () -> Adagrad.options().lrDecay(-0.01));
        bad.put("Adagrad: initial_accumulator_value -1.0 must be zero or positive",
                () -> Adagrad.options().initialAccumulatorValue(-1));
        bad.put("Adagrad: eps Infinity must be positive", () -> Adagrad.options().eps(Double.POSITIVE_INFINITY));
        for (Map.Entry<String, Runnable> e : bad.entrySet()) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, e.getValue()::run);
            assertEquals(e.getKey(), refused.getMessage());
        }
        Sgd sgd = Sgd.options().lr(0.1).build(params(p));
        sgd.groups().get(0).setLearningRate(0);
        assertEquals(0.0, sgd.groups().get(0).learningRate());
        for (double rate : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sgd.groups().get(0).setLearningRate(rate));
            assertEquals("ParamGroup 0: learning rate " + rate + " must be a number from 0 to 1000000.0", e.getMessage());
        }
        assertEquals(List.of("w"), List.copyOf(Sgd.options().lr(0.1).build(params(p)).parameters().keySet()));
    }

    @Test
    void groupsTakeTheParametersTheirFilterChoosesAndTheRestStayInGroupZero() {
        AdamW adamW = AdamW.options().lr(0.01).weightDecay(0.1)
                .group(ParameterFilter.vectors(), g -> g.weightDecay(0))
                .build(weightAndBias());
        assertEquals(List.of("linear.weight"), List.copyOf(adamW.groups().get(0).parameters().keySet()));
        assertEquals(List.of("linear.bias"), List.copyOf(adamW.groups().get(1).parameters().keySet()));
        assertEquals(0.1, adamW.groups().get(0).options().weightDecay());
        assertEquals(0.0, adamW.groups().get(1).options().weightDecay());
        assertEquals(0.01, adamW.groups().get(1).learningRate());
        Map<String, Runnable> bad = new LinkedHashMap<>();
        bad.put("Sgd: parameter 'linear.bias' is chosen by groups 1 and 2; a parameter belongs to one group, so make "
                + "the filters exclusive", () -> Sgd.options().lr(0.1).group(ParameterFilter.vectors(), g -> g)
                .group(ParameterFilter.names(n -> n.endsWith("bias")), g -> g).build(weightAndBias()));
        bad.put("Sgd: group 1 chose none of the 2 parameters; check its filter (names are dotted paths such as "
                + "'linear.weight')", () -> Sgd.options().lr(0.1).group(ParameterFilter.names(n -> n.equals("bias")),
                g -> g.lr(1)).build(weightAndBias()));
        bad.put("Sgd: group 1's options define groups of their own; add every group to the optimizer's options instead",
                () -> Sgd.options().lr(0.1).group(ParameterFilter.vectors(), g -> g.group(ParameterFilter.vectors(),
                        h -> h)).build(weightAndBias()));
        bad.put("Sgd: Nesterov momentum needs momentum > 0 and dampening 0 (momentum 0.0, dampening 0.0); set "
                + "momentum(0.9), say", () -> Sgd.options().lr(0.1).momentum(0.9)
                .group(ParameterFilter.vectors(), g -> g.nesterov(true).momentum(0)).build(weightAndBias()));
        for (Map.Entry<String, Runnable> e : bad.entrySet()) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, e.getValue()::run);
            assertEquals(e.getKey(), refused.getMessage());
        }
    }

    @Test
    void aGroupsOptionsAreTheDefaultsAsTheyAreWhenBuiltChangedByTheGroup() {
        Sgd sgd = Sgd.options().group(ParameterFilter.vectors(), g -> g.momentum(0.5)).lr(0.3).momentum(0.9)
                .build(weightAndBias());
        Sgd.Options bias = (Sgd.Options) sgd.groups().get(1).options();
        assertEquals(0.3, bias.lr());
        assertEquals(0.5, bias.momentum());
        assertEquals(0.9, ((Sgd.Options) sgd.groups().get(0).options()).momentum());
    }

    @Test
    void aStateOfOtherGroupsIsRefused() {
        Map<String, Parameter> params = weightAndBias();
        Sgd grouped = Sgd.options().lr(0.1).group(ParameterFilter.vectors(), g -> g.weightDecay(0)).build(params);
        Sgd single = Sgd.options().lr(0.1).build(params);
        Sgd otherSplit = Sgd.options().lr(0.1).group(ParameterFilter.names(n -> n.endsWith("weight")), g -> g)
                .build(params);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> single.loadState(grouped.state()));
        assertEquals("Sgd.loadState: the state has 2 parameter groups, this optimizer 1; build the optimizer with the "
                + "groups it was saved with", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> otherSplit.loadState(grouped.state()));
        assertEquals("Sgd.loadState: the state's group 0 holds 1 parameters [linear.weight], this optimizer's 1 "
                + "parameters [linear.bias]; build the optimizer with the groups it was saved with", e.getMessage());
    }

    @Test
    void adagradsSumStartsAtTheInitialAccumulatorValueAndLrDecayShrinksEachParametersSteps() {
        double[] grads = {3, 4};
        // lr 1, initial 7, lr_decay 1, eps 1: step t uses lr / (1 + (t - 1)) = 1 / t
        // 1: s = 7 + 9 = 16;   w = 1 - 3 / (4 + 1) = 0.4
        // 2: s = 16 + 16 = 32; w = 0.4 - 0.5 * 4 / (sqrt(32) + 1)
        assertSteps(params -> Adagrad.options().lr(1).initialAccumulatorValue(7).lrDecay(1).eps(1).build(params), grads,
                0.4, 0.4 - 2 / (Math.sqrt(32) + 1));
    }

    @Test
    void maximizeStepsUpTheGradient() {
        double[] grads = {0.5, -1.0};
        // SGD, lr 0.1, weight decay 0.1, maximize: d = -g + 0.1 w
        // 1: d = -0.5 + 0.1 = -0.4;      w = 1 + 0.04 = 1.04
        // 2: d = 1 + 0.104 = 1.104;      w = 1.04 - 0.1104 = 0.9296
        assertSteps(params -> Sgd.options().lr(0.1).weightDecay(0.1).maximize(true).build(params), grads,
                1.04, 0.9296);
    }

    @Test
    void amsgradDividesByTheLargestSecondMomentSoFar() {
        double[] grads = {1, 0};
        // betas (0, 0.5), eps 0+: v1 = 0.5, v2 = 0.25 but vMax = 0.5; m2 = 0
        // 1: w = 1 - lr * 1 / (sqrt(0.5) / sqrt(0.5)) = 1 - lr
        // 2: m = 0, so w stays; the buffer keeps 0.5
        Parameter p = Parameter.of(Tensor.scalar(1.0));
        Adam adam = Adam.options().lr(0.1).betas(0, 0.5).eps(1e-300).amsgrad(true).build(params(p));
        for (double g : grads) {
            adam.zeroGrad();
            p.gradBuffer().data[0] = g;
            adam.step();
        }
        assertEquals(0.9, p.data()[0], 1e-15);
        assertEquals(0.5, adam.state().buffers().get("w.max_exp_avg_sq").values()[0]);
        assertEquals(0.25, adam.state().buffers().get("w.exp_avg_sq").values()[0]);
    }

    @Test
    void centeredRmsPropDividesByTheRootOfTheVariance() {
        double[] grads = {4, -2};
        // alpha 0.75, eps 1: v = 0.75 v + 0.25 g^2, a = 0.75 a + 0.25 g, r = sqrt(v - a^2) + 1
        // 1: v = 4, a = 1, r = sqrt(3) + 1;                  w = 1 - 0.1 * 4 / (sqrt(3) + 1)
        // 2: v = 4, a = 0.25, r = sqrt(4 - 0.0625) + 1;      w += 0.1 * 2 / (sqrt(3.9375) + 1)
        double w1 = 1 - 0.4 / (Math.sqrt(3) + 1);
        assertSteps(params -> RmsProp.options().lr(0.1).alpha(0.75).eps(1).centered(true).build(params), grads,
                w1, w1 + 0.2 / (Math.sqrt(3.9375) + 1));
    }

    @Test
    void optionsKeepOnlyTheBuffersTheyUse() {
        Map<String, Parameter> m = params(start());
        assertEquals(List.of(), List.copyOf(Sgd.options().lr(0.1).build(m).state().buffers().keySet()));
        assertEquals(List.of("w.momentum_buffer"),
                List.copyOf(Sgd.options().lr(0.1).momentum(0.9).build(m).state().buffers().keySet()));
        assertEquals(List.of("w.square_avg", "w.momentum_buffer", "w.grad_avg"),
                List.copyOf(RmsProp.options().momentum(0.9).centered(true).build(m).state().buffers().keySet()));
        assertEquals(List.of("w.exp_avg", "w.exp_avg_sq"), List.copyOf(Adam.options().build(m).state().buffers().keySet()));
    }
}
