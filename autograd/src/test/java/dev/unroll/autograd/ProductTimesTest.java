package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProductTimesTest {

    @AfterEach
    void stopTallying() {
        ProductTimes.stop();
    }

    @Test
    void tallies_each_shape_of_a_recorded_step_forward_and_backward() {
        Tensor w = Tensor.uniform(5, 3, -1, 1, 1).requiresGrad(true);
        Tensor x = Tensor.uniform(4, 3, -1, 1, 2);
        ProductTimes.start();
        try (Tape tape = Tape.record()) {
            tape.backward(MatrixOps.linear(x, w, null).sum());
        }
        ProductTimes.stop();
        List<ProductTimes.Entry> entries = ProductTimes.entries();
        ProductTimes.Entry forward = find(entries, 4, 5, 3);
        assertTrue(forward.transB() && forward.parameter(), forward.describe(1));
        assertEquals(1, forward.calls());
        assertEquals(DType.F64, forward.dtype());
        ProductTimes.Entry weightGradient = find(entries, 5, 3, 4);
        assertTrue(weightGradient.transA() && weightGradient.accumulate(), weightGradient.describe(1));
        assertTrue(entries.stream().allMatch(e -> e.nanos() > 0 && e.gflops() > 0));
    }

    @Test
    void stop_keeps_the_tally_and_start_clears_it() {
        Tensor a = Tensor.uniform(2, 2, -1, 1, 3).to(DType.F32);
        ProductTimes.start();
        a.matmul(a);
        ProductTimes.stop();
        a.matmul(a);
        assertEquals(1, ProductTimes.entries().size());
        assertEquals(1, ProductTimes.entries().get(0).calls());
        assertEquals(DType.F32, ProductTimes.entries().get(0).dtype());
        assertTrue(ProductTimes.entries().get(0).describe(1).startsWith("float32 2x2x2"),
                ProductTimes.entries().get(0).describe(1));
        ProductTimes.start();
        assertTrue(ProductTimes.entries().isEmpty());
    }

    @Test
    void off_by_default_nothing_is_tallied() {
        ProductTimes.start();
        ProductTimes.stop();
        Tensor.uniform(3, 3, -1, 1, 4).matmul(Tensor.uniform(3, 3, -1, 1, 5));
        assertFalse(ProductTimes.entries().iterator().hasNext());
    }

    private static ProductTimes.Entry find(List<ProductTimes.Entry> entries, int rows, int cols, int depth) {
        return entries.stream().filter(e -> e.rows() == rows && e.cols() == cols && e.depth() == depth).findFirst()
                .orElseThrow(() -> new AssertionError("no " + rows + "x" + cols + "x" + depth + " product in " + entries));
    }
}
