package dev.unroll.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op in float32 computes what it computes in float64, within float32 rounding (outputs and
 * gradients, batch 1 and larger, broadcasting, an input used twice); precisions never mix silently.
 */
class Float32Test {

    /** Float32 keeps about 7 digits; a few roundings per element, summed over up to a few hundred terms. */
    private static final double TOLERANCE = 2e-5;

    private static Tensor random(int rows, int cols, long seed) {
        return Tensor.uniform(rows, cols, -1, 1, seed);
    }

    private static Tensor positive(int rows, int cols, long seed) {
        return Tensor.uniform(rows, cols, 0.5, 2, seed);
    }

    private static Arguments op(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return Arguments.of(name, f, inputs);
    }

    static Stream<Arguments> ops() {
        int[] ids = {3, 0, 5, 3};
        return Stream.of(
                op("add broadcast", in -> in.get(0).add(in.get(1)), random(4, 5, 1), random(1, 5, 2)),
                op("sub column", in -> in.get(0).sub(in.get(1)), random(4, 5, 3), random(4, 1, 4)),
                op("mul twice", in -> in.get(0).mul(in.get(0)).mul(in.get(1)), random(4, 5, 5), random(4, 5, 6)),
                op("div", in -> in.get(0).div(in.get(1)), random(3, 4, 7), positive(3, 4, 8)),
                op("scale neg addScalar", in -> in.get(0).scale(0.3).neg().addScalar(2), random(1, 6, 9)),
                op("tanh sigmoid relu", in -> in.get(0).tanh().add(in.get(0).sigmoid()).add(in.get(0).relu()), random(5, 7, 10)),
                op("exp log sqrt pow clamp", in -> in.get(0).exp().add(in.get(0).log()).add(in.get(0).sqrt())
                        .add(in.get(0).pow(3)).add(in.get(0).clamp(0.7, 1.5)), positive(3, 6, 11)),
                op("matmul", in -> in.get(0).matmul(in.get(1)), random(7, 33, 12), random(33, 19, 13)),
                op("matmulTransB large", in -> in.get(0).matmulTransB(in.get(1)), random(40, 70, 14), random(90, 70, 15)),
                op("matmulTransA", in -> MatrixOps.matmulTransA(in.get(0), in.get(1)), random(30, 9, 16), random(30, 11, 17)),
                op("linear", in -> MatrixOps.linear(in.get(0), in.get(1), in.get(2)), random(1, 8, 18), random(5, 8, 19), random(1, 5, 20)),
                op("addLinear", in -> MatrixOps.addLinear(in.get(0), in.get(1), in.get(2), in.get(3)), random(3, 5, 21),
                        random(3, 8, 22), random(5, 8, 23), random(1, 5, 24)),
                op("linearOfOneHot", in -> MatrixOps.linearOfOneHot(ids, in.get(0), in.get(1)), random(5, 6, 25), random(1, 5, 26)),
                op("transpose", in -> in.get(0).transpose().matmul(in.get(0)), random(4, 3, 27)),
                op("reductions", in -> ReductionOps.sumOverRows(in.get(0)).sum().add(ReductionOps.meanOverCols(in.get(0)).mean())
                        .add(in.get(0).mean()), random(6, 4, 28)),
                op("softmax logSoftmax", in -> in.get(0).softmax().add(in.get(0).logSoftmax()), random(3, 9, 29)),
                op("cross-entropy", in -> LossOps.softmaxCrossEntropy(in.get(0), new int[] {1, 4, 0}), random(3, 6, 30)),
                op("cross-entropy weighted none", in -> LossOps.softmaxCrossEntropy(in.get(0), new int[] {1, -100, 2},
                        new double[] {1, 2, 0.5}, Reduction.NONE, -100), random(3, 3, 31)),
                op("nll", in -> LossOps.nllLoss(in.get(0).logSoftmax(), new int[] {2, 0}), random(2, 4, 32)),
                op("mse", in -> LossOps.mse(in.get(0), in.get(1)), random(3, 4, 33), random(3, 4, 34)),
                op("bce", in -> LossOps.binaryCrossEntropyWithLogits(in.get(0), in.get(1), Reduction.SUM), random(3, 4, 35),
                        positive(3, 4, 36).scale(0.4)),
                op("concat slice", in -> ShapeOps.concatCols(List.of(in.get(0), in.get(1))).sliceRows(1, 3).sliceCols(2, 5)
                        .add(ShapeOps.concatRows(List.of(in.get(0), in.get(0))).sliceRows(2, 4).sliceCols(0, 3)),
                        random(4, 3, 37), random(4, 2, 38)),
                op("gather select", in -> ShapeOps.gatherRows(in.get(0), new int[] {2, 0, 2}, 0)
                        .add(ShapeOps.selectRows(new boolean[] {true, false, true}, in.get(1), in.get(1).tanh())),
                        random(3, 4, 39), random(3, 4, 40)),
                op("maskMul dropout", in -> ElementwiseOps.maskMul(in.get(0), Tensor.of(new double[][] {{1}, {0}, {1}}))
                        .add(ElementwiseOps.dropout(in.get(0), 0.5, Randomness.seeded(3))), random(3, 4, 41)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void float32MatchesFloat64(String name, Function<List<Tensor>, Tensor> f, Tensor[] inputs) {
        PrecisionCheck.compare(f, inputs).assertBelow(TOLERANCE);
    }

    @Test
    void mixingPrecisionsNamesBothAndTheFix() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(DType.F32, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("add: a float64 2x3 and a float32 2x3") && e.getMessage().contains("to(DType"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MatrixOps.linear(a, b, null));
        assertTrue(e.getMessage().contains("linear") && e.getMessage().contains("float32"), e.getMessage());
    }

    @Test
    void conversionIsDifferentiableAndIdentityWhenThePrecisionMatches() {
        Tensor x = Tensor.row(0.1, -2, 3).requiresGrad(true);
        assertSame(x, x.to(DType.F64));
        try (Tape tape = Tape.record()) {
            Tensor y = x.to(DType.F32);
            assertEquals(DType.F32, y.dtype());
            assertEquals((float) 0.1, y.get(0, 0), 0.0);
            tape.backward(y.mul(y).sum());
        }
        assertEquals(DType.F64, x.grad().dtype());
        assertEquals(2 * (double) (float) 0.1, x.grad().get(0, 0), 1e-7);
        assertEquals(6, x.grad().get(0, 2), 0.0);
    }

    @Test
    void precisionSpecificAccessorsSayWhichToUse() {
        Tensor f = Tensor.zeros(DType.F32, 1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, f::data);
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("valueF32()"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(1, 1).dataF32());
        assertEquals("float32", f.dtype().toString());
        assertEquals(DType.F32, DType.parse("float"));
        assertThrows(IllegalArgumentException.class, () -> DType.parse("half"));
    }

    @Test
    void float32StorageIsRecycledByClearAsFloat64Is() {
        Tensor w = Tensor.row(1, 2, 3).to(DType.F32).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            Tensor first = w.tanh();
            float[] storage = first.dataF32();
            tape.backward(first.sum());
            tape.clear();
            assertThrows(IllegalStateException.class, first::valueF32);
            Tensor second = w.tanh();
            assertSame(storage, second.dataF32());
        }
    }
}
