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

    @Test
    void plainSgdSubtractsTheScaledGradient() {
        Parameter p = start();
        double[][] got = run(p, new Sgd(params(p), 0.1, 0, 0, false, 0));
        double[] w = START.clone();
        for (int s = 0; s < 3; s++) {
            for (int k = 0; k < 2; k++) {
                w[k] -= 0.1 * GRADS[s][k];
            }
            assertArrayEquals(w, got[s], 1e-15);
        }
    }

    @Test
    void sgdWithMomentumNesterovAndWeightDecayFollowsPyTorch() {
        double lr = 0.1;
        double mu = 0.9;
        double wd = 0.01;
        for (boolean nesterov : new boolean[] {false, true}) {
            Parameter p = start();
            double[][] got = run(p, new Sgd(params(p), lr, mu, 0, nesterov, wd));
            double[] w = START.clone();
            double[] b = new double[2];
            for (int s = 0; s < 3; s++) {
                for (int k = 0; k < 2; k++) {
                    double g = GRADS[s][k] + wd * w[k];
                    b[k] = s == 0 ? g : mu * b[k] + g;
                    w[k] -= lr * (nesterov ? g + mu * b[k] : b[k]);
                }
                assertArrayEquals(w, got[s], 1e-15, "nesterov=" + nesterov + " step " + s);
            }
        }
    }

    @Test
    void adagradFollowsMinCharRnnAndPyTorch() {
        for (boolean inside : new boolean[] {true, false}) {
            Parameter p = start();
            double eps = inside ? 1e-8 : 1e-10;
            double[][] got = run(p, new Adagrad(params(p), 0.1, eps, inside));
            double[] w = START.clone();
            double[] mem = new double[2];
            for (int s = 0; s < 3; s++) {
                for (int k = 0; k < 2; k++) {
                    double g = GRADS[s][k];
                    mem[k] += g * g;
                    w[k] -= 0.1 * g / (inside ? Math.sqrt(mem[k] + eps) : Math.sqrt(mem[k]) + eps);
                }
                assertArrayEquals(w, got[s], 1e-15);
            }
        }
        assertEquals(-0.1 + 1.0, firstStepOfMinCharRnnAdagrad(), 1e-8);
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
    void rmsPropWithAndWithoutMomentumFollowsPyTorch() {
        for (double mu : new double[] {0, 0.5}) {
            Parameter p = start();
            double[][] got = run(p, new RmsProp(params(p), 0.01, 0.9, 1e-8, mu, 0.1));
            double[] w = START.clone();
            double[] v = new double[2];
            double[] b = new double[2];
            for (int s = 0; s < 3; s++) {
                for (int k = 0; k < 2; k++) {
                    double g = GRADS[s][k] + 0.1 * w[k];
                    v[k] = 0.9 * v[k] + 0.1 * g * g;
                    double step = g / (Math.sqrt(v[k]) + 1e-8);
                    if (mu != 0) {
                        b[k] = mu * b[k] + step;
                        step = b[k];
                    }
                    w[k] -= 0.01 * step;
                }
                assertArrayEquals(w, got[s], 1e-15);
            }
        }
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
        assertEquals(Map.of("w", 1, "unused", 0), adam.parameterSteps());
    }

    @Test
    void stateRoundTripsAndRejectsAMismatch() {
        Parameter p = start();
        Adam a = new Adam(params(p), 0.1, 0.9, 0.999, 1e-8, 0);
        run(p, a);
        Parameter q = start();
        Adam b = new Adam(params(q), 0.5, 0.9, 0.999, 1e-8, 0);
        b.loadState(a.state(), a.parameterSteps(), a.stepCount(), a.learningRate());
        assertEquals(a.stepCount(), b.stepCount());
        assertArrayEquals(a.state().get("w.exp_avg").data, b.state().get("w.exp_avg").data);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.loadState(Map.of(), a.parameterSteps(), 1, 0.1));
        assertTrue(e.getMessage().contains("lacks 'w.exp_avg'"), e.getMessage());
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
        assertThrows(IllegalArgumentException.class, () -> new Sgd(params(p), 0.1, 0, 0, false, 0).setLearningRate(0));
        assertEquals(List.of("w"), List.copyOf(new Sgd(params(p), 0.1, 0, 0, false, 0).parameters().keySet()));
    }
}
