package dev.unroll.nn.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.autograd.Tensor;
import dev.unroll.nn.PyTorchFixture;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link GradClipping#clipGradNorm(java.util.Collection, double, double, boolean)} against
 * PyTorch's {@code clip_grad_norm_} on the cases of {@code make_fixtures.py}: the returned norm
 * and the clipped gradients to 1e-12, for p = 1, 2, 3, 0.5 and infinity, a norm below the limit,
 * one equal to it and one in the band just below it where PyTorch's clip coefficient
 * max_norm / (norm + 1e-6) is already below 1.
 */
class ClipParityTest {

    private static final PyTorchFixture FIXTURE = PyTorchFixture.read("clip");

    private static Tensor withGradient(Tensor values) {
        Tensor t = Tensor.zeros(values.rows(), values.cols()).requiresGrad(true);
        System.arraycopy(values.data(), 0, t.gradBuffer().data, 0, values.size());
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"l2_above", "l1_above", "p3_above", "p0_5_above", "inf_above", "l2_below", "l2_band",
        "inf_band", "l2_exact"})
    void clipGradNormMatchesPyTorch(String name) {
        Tensor a = withGradient(FIXTURE.tensor(name + ".a"));
        Tensor b = withGradient(FIXTURE.tensor(name + ".b"));
        double norm = GradClipping.clipGradNorm(List.of(a, b), FIXTURE.number(name + ".max_norm"),
                FIXTURE.number(name + ".norm_type"), true);
        assertEquals(FIXTURE.number(name + ".total_norm"), norm, 1e-12);
        assertArrayEquals(FIXTURE.tensor(name + ".clipped_a").data(), a.grad().data(), 1e-12);
        assertArrayEquals(FIXTURE.tensor(name + ".clipped_b").data(), b.grad().data(), 1e-12);
    }
}
