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
        double[][] got = run(p, new Sgd(params(p), 0.1, 0, 0, false, 0));
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
        assertSteps(params -> new Sgd(params, 0.1, 0.9, 0, false, 0.1), grads, 0.94, 0.9766, 0.979774);
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
        assertSteps(params -> new Sgd(params, 0.1, 0.9, 0, true, 0.1), grads, 0.886, 1.010566, 0.983448646);
    }

    @Test
    void sgdWithDampeningDampsAllButTheFirstMomentumStep() {
        double[] grads = {0.5, -1.0, 0.2};
        // lr 0.1, momentum 0.9, dampening 0.5 (PyTorch: the first step sets b = g undamped):
        // 1: b = 0.5;                          w = 1 - 0.05 = 0.95
        // 2: b = 0.45 + 0.5 * -1 = -0.05;      w = 0.95 + 0.005 = 0.955
        // 3: b = -0.045 + 0.5 * 0.2 = 0.055;   w = 0.955 - 0.0055 = 0.9495
        assertSteps(params -> new Sgd(params, 0.1, 0.9, 0.5, false, 0), grads, 0.95, 0.955, 0.9495);
    }

    @Test
    void adagradWithEpsInsideTheSquareRootFollowsMinCharRnn() {
        double[] grads = {3, 3, -12};
        // lr 0.5, eps 7 inside: w -= 0.5 g / sqrt(s + 7)
        // 1: s = 9;   sqrt(16) = 4;   w = 1 - 0.5 * 3 / 4 = 0.625
        // 2: s = 18;  sqrt(25) = 5;   w = 0.625 - 0.5 * 3 / 5 = 0.325
        // 3: s = 162; sqrt(169) = 13; w = 0.325 + 0.5 * 12 / 13 = 0.325 + 6/13 = 0.78653846153846...
        assertSteps(params -> new Adagrad(params, 0.5, 7, true), grads, 0.625, 0.325, 0.7865384615384616);
        assertEquals(-0.1 + 1.0, firstStepOfMinCharRnnAdagrad(), 1e-8);
    }

    @Test
    void adagradWithEpsOutsideTheSquareRootFollowsPyTorch() {
        double[] grads = {3, 4, -12};
        // lr 0.5, eps 1 outside: w -= 0.5 g / (sqrt(s) + 1)
        // 1: s = 9;   3 + 1 = 4;    w = 1 - 0.5 * 3 / 4 = 0.625
        // 2: s = 25;  5 + 1 = 6;    w = 0.625 - 0.5 * 4 / 6 = 0.625 - 1/3 = 0.29166666666666...
        // 3: s = 169; 13 + 1 = 14;  w = 0.2916666... + 0.5 * 12 / 14 = 0.2916666... + 3/7 = 0.72023809523809...
        assertSteps(params -> new Adagrad(params, 0.5, 1, false), grads, 0.625, 0.2916666666666667, 0.7202380952380952);
    }

    private static double firstStepOfMinCharRnnAdagrad() {
        Parameter p = Parameter.of(Tensor.row(1.0));
        Map<String, Parameter> m = params(p);
        Adagrad a = new Adagrad(m, 0.1, 1e-8, true);
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
        assertSteps(params -> new RmsProp(params, 0.1, 0.75, 1, 0, 0), grads,
                0.8666666666666667, 0.9333333333333333, 0.8666666666666667);
    }

    @Test
    void rmsPropWithMomentumFollowsPyTorch() {
        double[] grads = {4, -2, 2};
        // as above (v = 4 at every step), with b = 0.5 b + g / (sqrt(v) + 1); w -= 0.1 b
        // 1: b = 4/3;                      w = 1 - 0.4/3 = 13/15
        // 2: b = 2/3 - 2/3 = 0;            w = 13/15
        // 3: b = 0 + 2/3;                  w = 13/15 - 0.2/3 = 12/15 = 0.8
        assertSteps(params -> new RmsProp(params, 0.1, 0.75, 1, 0.5, 0), grads,
                0.8666666666666667, 0.8666666666666667, 0.8);
    }

    @Test
    void rmsPropWithWeightDecayFollowsPyTorch() {
        double[] grads = {3.5, -2.5};
        // weight decay 0.5: d = g + 0.5 w
        // 1: d = 3.5 + 0.5 = 4;  v = 4;                        w = 1 - 0.1 * 4 / 3 = 13/15
        // 2: d = -2.5 + 13/30 = -31/15;  v = 3 + 0.25 (31/15)^2 = 3661/900;  sqrt(v) = sqrt(3661) / 30
        //    w = 13/15 + 0.1 (31/15) / (sqrt(3661)/30 + 1) = 13/15 + 6.2 / (30 + sqrt(3661)) = 0.93517026238693...
        assertSteps(params -> new RmsProp(params, 0.1, 0.75, 1, 0, 0.5), grads,
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
            Optimizer opt = decoupled ? new AdamW(params(p), lr, b1, b2, eps, wd) : new Adam(params(p), lr, b1, b2, eps, wd);
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
        run(p, new Adam(params(p), 0.001, 0.9, 0.999, 1e-8, 0));
        assertTrue(Math.abs(p.data()[0] - START[0]) < 0.0031);
    }

    @Test
    void parametersWithoutAGradientAreSkipped() {
        Parameter used = start();
        Parameter unused = Parameter.of(Tensor.row(7.0));
        Map<String, Parameter> m = new LinkedHashMap<>(params(used));
        m.put("unused", unused);
        Adam adam = new Adam(m, 0.1, 0.9, 0.999, 1e-8, 0);
        used.gradBuffer().data[0] = 1;
        adam.step();
        assertEquals(7.0, unused.data()[0]);
        assertEquals(Map.of("w", 1, "unused", 0), adam.state().parameterSteps());
    }

    @Test
    void stateRoundTripsAndRejectsAMismatch() {
        Parameter p = start();
        Adam a = new Adam(params(p), 0.1, 0.9, 0.999, 1e-8, 0);
        run(p, a);
        Parameter q = start();
        Adam b = new Adam(params(q), 0.5, 0.9, 0.999, 1e-8, 0);
        b.loadState(a.state());
        assertEquals(a.stepCount(), b.stepCount());
        assertEquals(0.1, b.learningRate());
        assertArrayEquals(a.state().buffers().get("w.exp_avg").values(), b.state().buffers().get("w.exp_avg").values());
        OptimizerState s = a.state();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.loadState(new OptimizerState("Adam", 0.1, s.step(), s.parameterSteps(), Map.of())));
        assertTrue(e.getMessage().contains("lacks 'w.exp_avg'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sgd(params(q), 0.1, 0, 0, false, 0).loadState(s));
        assertEquals("Sgd.loadState: the state is Adam state, this optimizer is Sgd; restore it into a Adam",
                e.getMessage());
    }

    /** Replaces one value of a buffer in a copy of the state. */
    private static OptimizerState poisoned(OptimizerState s, String key, double value) {
        Map<String, OptimizerState.Buffer> buffers = new LinkedHashMap<>(s.buffers());
        OptimizerState.Buffer b = buffers.get(key);
        double[] values = b.values().clone();
        values[values.length - 1] = value;
        buffers.put(key, new OptimizerState.Buffer(b.rows(), b.cols(), values));
        return new OptimizerState(s.type(), s.learningRate(), s.step(), s.parameterSteps(), buffers);
    }

    @Test
    void poisonedStateIsRefusedBeforeAnythingChanges() {
        Parameter p = start();
        Adam a = new Adam(params(p), 0.1, 0.9, 0.999, 1e-8, 0);
        run(p, a);
        OptimizerState s = a.state();
        Map<String, OptimizerState> bad = new LinkedHashMap<>();
        bad.put("'w.exp_avg_sq' holds -1.0 at index 1, but exp_avg_sq must be finite and not negative",
                poisoned(s, "w.exp_avg_sq", -1));
        bad.put("'w.exp_avg' holds NaN at index 1, but exp_avg must be finite", poisoned(s, "w.exp_avg", Double.NaN));
        bad.put("learning rate 1.0E308 must be a number from 0 to 1000000.0",
                new OptimizerState("Adam", 1e308, s.step(), s.parameterSteps(), s.buffers()));
        bad.put("the step count -3 is negative", new OptimizerState("Adam", 0.1, -3, s.parameterSteps(), s.buffers()));
        bad.put("the step count of 'w' is 7, outside [0, " + s.step() + "]",
                new OptimizerState("Adam", 0.1, s.step(), Map.of("w", 7), s.buffers()));
        bad.put("the state lacks the step count of 'w'", new OptimizerState("Adam", 0.1, s.step(), Map.of(), s.buffers()));
        for (Map.Entry<String, OptimizerState> e : bad.entrySet()) {
            Parameter q = start();
            Adam b = new Adam(params(q), 0.5, 0.9, 0.999, 1e-8, 0);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> b.loadState(e.getValue()));
            assertTrue(refused.getMessage().contains(e.getKey()), refused.getMessage());
            assertEquals(0, b.stepCount());
            assertEquals(0.5, b.learningRate());
            assertArrayEquals(new double[2], b.state().buffers().get("w.exp_avg_sq").values());
        }
    }

    @Test
    void toStringShowsTheSettings() {
        Parameter p = start();
        assertEquals("Adam(lr=0.002, betas=(0.9, 0.999), eps=1.0E-8, weightDecay=0.0; 1 parameters, step 0)",
                new Adam(params(p), 0.002, 0.9, 0.999, 1e-8, 0).toString());
        assertEquals("Sgd(lr=0.1, momentum=0.9, nesterov, weightDecay=0.0; 1 parameters, step 0)",
                new Sgd(params(p), 0.1, 0.9, 0, true, 0).toString());
    }

    @Test
    void badSettingsAreRefused() {
        Parameter p = start();
        assertThrows(IllegalArgumentException.class, () -> new Sgd(params(p), -1, 0, 0, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(params(p), 0.1, 0, 0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(params(p), 0.1, 1.0, 0.999, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of(), 0.1, 0.9, 0.999, 1e-8, 0));
        Sgd sgd = new Sgd(params(p), 0.1, 0, 0, false, 0);
        sgd.setLearningRate(0);
        assertEquals(0.0, sgd.learningRate());
        for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.setLearningRate(bad));
            assertEquals("Sgd: learning rate " + bad + " must be a number from 0 to 1000000.0", e.getMessage());
        }
        assertEquals(List.of("w"), List.copyOf(new Sgd(params(p), 0.1, 0, 0, false, 0).parameters().keySet()));
    }
}
