package dev.unroll.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.PyTorchFixture;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every loss option against PyTorch (the cases of {@code make_fixtures.py}): for each reduction
 * the loss and the gradient of sum(loss * R) with respect to the input (and the target, where it
 * is differentiable), to 1e-12. Both sides compute in float64; the only deliberate difference, the
 * mean over rows that are all ignored (PyTorch NaN, Unroll 0), is pinned by its own test.
 */
class LossParityTest {

    private static final PyTorchFixture FIXTURE = PyTorchFixture.read("losses");
    private static final double TOLERANCE = 1e-12;

    /** The Unroll loss of a fixture case, for one reduction. */
    private static Tensor loss(String name, Tensor input, Tensor target, Reduction reduction) {
        double[] settings = FIXTURE.tensor(name + ".settings").data();
        double[] weight = FIXTURE.has(name + ".weight") ? FIXTURE.tensor(name + ".weight").data() : null;
        if (name.startsWith("ce_")) {
            CrossEntropyLoss ce = new CrossEntropyLoss().reduction(reduction).ignoreIndex((int) settings[0])
                    .labelSmoothing(settings[1]);
            ce = weight == null ? ce : ce.classWeights(weight);
            return name.startsWith("ce_probs") ? ce.apply(input, target) : ce.apply(input, ints(target));
        }
        if (name.startsWith("nll_")) {
            return new NllLoss().reduction(reduction).classWeights(weight).apply(input, ints(target));
        }
        if (name.startsWith("bce_")) {
            BceWithLogitsLoss bce = new BceWithLogitsLoss(reduction);
            bce = weight == null ? bce : bce.weight(FIXTURE.tensor(name + ".weight"));
            bce = FIXTURE.has(name + ".pos_weight") ? bce.posWeight(FIXTURE.tensor(name + ".pos_weight").data()) : bce;
            return bce.apply(input, target);
        }
        return new MseLoss(reduction).apply(input, target);
    }

    private static int[] ints(Tensor t) {
        double[] v = t.data();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ce_plain", "ce_weighted", "ce_smooth", "ce_smooth_weighted", "ce_smooth_zero_weight",
        "ce_probs", "ce_probs_weighted_smooth", "nll_weighted", "bce_pos_weight", "bce_weight_row", "bce_weight_col",
        "bce_weight_full", "bce_weight_only", "mse"})
    void lossesAndGradientsMatchPyTorch(String name) {
        for (Reduction reduction : Reduction.values()) {
            String prefix = name + "." + reduction.name().toLowerCase(Locale.ROOT);
            Tensor input = FIXTURE.tensor(name + ".input").requiresGrad(true);
            boolean targetGrad = FIXTURE.has(prefix + ".grad_target");
            Tensor target = FIXTURE.tensor(name + ".target").requiresGrad(targetGrad);
            try (Tape tape = Tape.record()) {
                Tensor loss = loss(name, input, target, reduction);
                assertArrayEquals(FIXTURE.tensor(prefix + ".loss").data(), loss.data(), TOLERANCE, prefix + " loss");
                Tensor r = Tensor.wrap(new DMatrixRMaj(loss.rows(), loss.cols(), true, FIXTURE.tensor(prefix + ".R").data()));
                tape.backward(loss.mul(r).sum());
            }
            assertArrayEquals(FIXTURE.tensor(prefix + ".grad").data(), input.grad().data(), TOLERANCE, prefix + " gradient");
            if (targetGrad) {
                assertArrayEquals(FIXTURE.tensor(prefix + ".grad_target").data(), target.grad().data(), TOLERANCE,
                        prefix + " target gradient");
            }
        }
    }

    @Test
    void aMeanOverRowsThatAreAllIgnoredIsZeroWherePyTorchsIsNaN() {
        Tensor input = FIXTURE.tensor("ce_all_ignored.input").requiresGrad(true);
        Tensor target = FIXTURE.tensor("ce_all_ignored.target");
        assertTrue(Double.isNaN(FIXTURE.number("ce_all_ignored.mean.loss")), "PyTorch's empty mean is 0/0");
        try (Tape tape = Tape.record()) {
            Tensor mean = loss("ce_all_ignored", input, target, Reduction.MEAN);
            assertEquals(0, mean.item());
            tape.backward(mean);
        }
        assertArrayEquals(FIXTURE.tensor("ce_all_ignored.mean.grad").data(), input.grad().data(), 0, "zero, as PyTorch's");
        for (Reduction reduction : new Reduction[] {Reduction.SUM, Reduction.NONE}) {
            String prefix = "ce_all_ignored." + reduction.name().toLowerCase(Locale.ROOT);
            assertArrayEquals(FIXTURE.tensor(prefix + ".loss").data(), loss("ce_all_ignored", input, target, reduction).data(),
                    0, prefix);
        }
    }
}
