package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** Intermediate gradient buffers are recycled within a backward pass and from one tape to the next on a thread. */
class GradientStorageTest {

    @Test
    void aRepeatedBackwardReusesTheIntermediateGradientBuffersOfThePreviousOne() {
        Tensor w = Tensor.uniform(6, 6, -0.5, 0.5, 1).requiresGrad(true);
        List<Set<double[]>> buffersOfPass = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            Set<double[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            try (Tape tape = Tape.record()) {
                Tensor h = Tensor.uniform(3, 6, -1, 1, 7);
                for (int t = 0; t < 10; t++) {
                    Tensor pre = MatrixOps.linear(h, w, null);
                    Tensor observed = Tensor.wrap(pre.value().copy());
                    Tape.record("observe", observed, pre, () -> {
                        seen.add(observed.gradData());
                        CommonOps_DDRM.addEquals(pre.gradBuffer(), observed.gradMatrix());
                    });
                    h = observed.tanh();
                }
                tape.backward(h.sum());
            }
            buffersOfPass.add(seen);
        }
        assertTrue(buffersOfPass.get(1).stream().allMatch(buffersOfPass.get(0)::contains),
                "the second pass takes its intermediate gradients from the buffers the first one freed");
    }
}
