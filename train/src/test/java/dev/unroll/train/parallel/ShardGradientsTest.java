package dev.unroll.train.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.layers.Linear;
import org.junit.jupiter.api.Test;

/** Shards' gradients summed into the model keep "no gradient" apart from a zero gradient. */
class ShardGradientsTest {

    @Test
    void aParameterNoShardReachesGetsNoGradientAndOneShardsGradientIsMeaned() {
        Linear model = new Linear(2, 1, 1);
        Linear reached = new Linear(2, 1, 1);
        Linear untouched = new Linear(2, 1, 1);
        reached.zeroGrad();
        untouched.zeroGrad();
        try (Tape tape = Tape.record()) {
            tape.backward(reached.forward(Tensor.row(1, 2)).sum());
        }
        ShardGradients sum = ShardGradients.of(untouched, 0, 1).add(ShardGradients.of(reached, 0, 1));
        model.zeroGrad();
        sum.addMeanTo(model);
        assertArrayEquals(new double[] {0.5, 1.0}, model.weight().grad().data());
        assertArrayEquals(new double[] {0.5}, model.bias().grad().data());

        Linear none = new Linear(2, 1, 1);
        none.zeroGrad();
        ShardGradients.of(untouched, 0, 1).add(ShardGradients.of(untouched, 0, 1)).addMeanTo(none);
        assertFalse(none.weight().hasGrad());
        assertFalse(none.bias().hasGrad());
    }
}
