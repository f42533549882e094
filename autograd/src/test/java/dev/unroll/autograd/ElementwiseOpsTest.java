package dev.unroll.autograd;

import static dev.unroll.autograd.Gradients.assertGradients;
import static dev.unroll.autograd.Gradients.positive;
import static dev.unroll.autograd.Gradients.random;
import static dev.unroll.autograd.Gradients.weighted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ElementwiseOpsTest {

    static Stream<Arguments> unaryOps() {
        return Stream.of(
                Arguments.of("tanh", (UnaryOperator<Tensor>) Tensor::tanh, false),
                Arguments.of("sigmoid", (UnaryOperator<Tensor>) Tensor::sigmoid, false),
                Arguments.of("relu", (UnaryOperator<Tensor>) Tensor::relu, false),
                Arguments.of("exp", (UnaryOperator<Tensor>) Tensor::exp, false),
                Arguments.of("log", (UnaryOperator<Tensor>) Tensor::log, true),
                Arguments.of("sqrt", (UnaryOperator<Tensor>) Tensor::sqrt, true),
                Arguments.of("pow 3", (UnaryOperator<Tensor>) x -> x.pow(3), false),
                Arguments.of("pow 2", (UnaryOperator<Tensor>) x -> x.pow(2), false),
                Arguments.of("pow -1.5", (UnaryOperator<Tensor>) x -> x.pow(-1.5), true),
                Arguments.of("clamp", (UnaryOperator<Tensor>) x -> x.clamp(-0.5, 0.45), false),
                Arguments.of("neg", (UnaryOperator<Tensor>) Tensor::neg, false),
                Arguments.of("scale", (UnaryOperator<Tensor>) x -> x.scale(-2.5), false),
                Arguments.of("addScalar", (UnaryOperator<Tensor>) x -> x.addScalar(3), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryOps")
    void unaryGradientsMatchFiniteDifferencesForBatchOneAndMany(String name, UnaryOperator<Tensor> op, boolean positiveOnly) {
        for (int batch : new int[] {1, 4}) {
            Tensor x = positiveOnly ? positive(batch, 5, 11) : random(batch, 5, 11);
            assertGradients(in -> weighted(op.apply(in.get(0))), x);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryOps")
    void unaryOpOfAnInputUsedTwiceAccumulatesBothPaths(String name, UnaryOperator<Tensor> op, boolean positiveOnly) {
        Tensor x = positiveOnly ? positive(3, 4, 5) : random(3, 4, 5);
        assertGradients(in -> weighted(op.apply(in.get(0)).mul(in.get(0))), x);
    }

    @Test
    void forwardValuesMatchTheFormulas() {
        Tensor x = Tensor.row(-2, 0, 0.5, 3);
        assertArrayEquals(new double[] {Math.tanh(-2), 0, Math.tanh(0.5), Math.tanh(3)}, x.tanh().data(), 1e-15);
        assertArrayEquals(new double[] {1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-0.5)), 1 / (1 + Math.exp(-3))},
                x.sigmoid().data(), 1e-15);
        assertArrayEquals(new double[] {0, 0, 0.5, 3}, x.relu().data());
        assertArrayEquals(new double[] {-1, 0, 0.5, 1}, x.clamp(-1, 1).data());
        assertArrayEquals(new double[] {4, 0, 0.25, 9}, x.pow(2).data());
        assertArrayEquals(new double[] {1, 3, 3.5, 6}, x.addScalar(3).data());
    }

    @Test
    void sigmoidDoesNotOverflowForLargeInputs() {
        Tensor s = Tensor.row(-1000, 1000).sigmoid();
        assertArrayEquals(new double[] {0, 1}, s.data());
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(1, 4, 1, 4), Arguments.of(3, 4, 3, 4), Arguments.of(3, 4, 1, 4),
                Arguments.of(1, 4, 3, 4), Arguments.of(3, 4, 3, 1), Arguments.of(3, 1, 3, 4),
                Arguments.of(3, 4, 1, 1), Arguments.of(1, 1, 3, 4), Arguments.of(3, 1, 1, 4));
    }

    @ParameterizedTest(name = "{0}x{1} with {2}x{3}")
    @MethodSource("shapes")
    void binaryGradientsMatchFiniteDifferencesWithBroadcasting(int ar, int ac, int br, int bc) {
        Tensor a = random(ar, ac, 1);
        Tensor b = random(br, bc, 2);
        Tensor d = positive(br, bc, 3);
        assertGradients(in -> weighted(in.get(0).add(in.get(1))), a, b);
        assertGradients(in -> weighted(in.get(0).sub(in.get(1))), a, b);
        assertGradients(in -> weighted(in.get(0).mul(in.get(1))), a, b);
        assertGradients(in -> weighted(in.get(0).div(in.get(1))), a, d);
    }

    @Test
    void binaryOpsWithTheSameInputTwiceSumBothGradients() {
        Tensor x = positive(2, 3, 4);
        assertGradients(in -> weighted(in.get(0).mul(in.get(0))), x);
        assertGradients(in -> weighted(in.get(0).add(in.get(0))), x);
        assertGradients(in -> weighted(in.get(0).div(in.get(0).add(in.get(0)).exp())), x);
        assertGradients(in -> weighted(in.get(0).sub(in.get(0).pow(2))), x);
        assertGradients(in -> weighted(in.get(0).sub(ReductionOps.meanOverRows(in.get(0)))), x);
        assertGradients(in -> weighted(ReductionOps.sumOverCols(in.get(0)).sub(in.get(0).tanh())), x);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void maskMulAndDropoutGradientsMatchFiniteDifferencesForBatchOneAndMany(int batch) {
        Tensor x = random(batch, 5, 12);
        Tensor full = Tensor.uniform(batch, 5, 0, 2, 13);
        Tensor column = batch == 1 ? Tensor.scalar(0.5) : Tensor.of(new double[][] {{1}, {0}, {0.5}, {1}});
        Tensor row = Tensor.row(1, 0, 2, 1, 0.5);
        for (Tensor mask : new Tensor[] {full, column, row, Tensor.scalar(3)}) {
            assertGradients(in -> weighted(ElementwiseOps.maskMul(in.get(0), mask)), x);
            assertGradients(in -> weighted(ElementwiseOps.maskMul(in.get(0), mask).mul(in.get(0))), x);
        }
        assertGradients(in -> weighted(ElementwiseOps.dropout(in.get(0), 0.4, Randomness.seeded(6))), x);
        assertGradients(in -> weighted(ElementwiseOps.dropout(in.get(0), 0.4, Randomness.seeded(6)).add(in.get(0).exp())),
                x);
        assertGradients(in -> weighted(ElementwiseOps.dropout(in.get(0), 0.4, Randomness.seeded(6)).mul(in.get(0))), x);
    }

    @Test
    void maskMulNeverBroadcastsXUpToTheMaskAndNamesItselfInErrors() {
        Tensor x = Tensor.zeros(1, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseOps.maskMul(x, Tensor.zeros(3, 4)));
        assertEquals("maskMul: mask 3x4 does not fit x 1x4; the mask must be 1x4, 1x1 (one value per row), 1x4 "
                + "(one per column) or 1x1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElementwiseOps.maskMul(Tensor.zeros(3, 1), Tensor.zeros(1, 4)));
        assertEquals("maskMul: mask 1x4 does not fit x 3x1; the mask must be 3x1, 3x1 (one value per row), 1x1 "
                + "(one per column) or 1x1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElementwiseOps.maskMul(Tensor.zeros(3, 4), Tensor.zeros(2, 1)));
        assertEquals("maskMul: mask 2x1 does not fit x 3x4; the mask must be 3x4, 3x1 (one value per row), 1x4 "
                + "(one per column) or 1x1", e.getMessage());
        assertEquals("3x4", ElementwiseOps.maskMul(Tensor.zeros(3, 4), Tensor.zeros(1, 1)).shape());
    }

    @Test
    void subAndDivBroadcastingErrorsNameTheOpAndBothShapes() {
        assertEquals("sub: 2x3 and 3x3 do not broadcast: rows 2 and 3 differ (each dimension must match or be 1)",
                assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).sub(Tensor.zeros(3, 3))).getMessage());
        assertEquals("div: 4x3 and 1x2 do not broadcast: columns 3 and 2 differ (each dimension must match or be 1)",
                assertThrows(IllegalArgumentException.class, () -> Tensor.ones(4, 3).div(Tensor.ones(1, 2))).getMessage());
    }

    @Test
    void broadcastingARowAddsItToEveryRow() {
        Tensor m = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        assertArrayEquals(new double[] {11, 22, 13, 24}, m.add(Tensor.row(10, 20)).data());
        assertArrayEquals(new double[] {10, 20, 30, 40}, m.mul(Tensor.scalar(10)).data());
        assertArrayEquals(new double[] {1, 2, 0, 0}, m.mul(Tensor.of(new double[][] {{1}, {0}})).data());
        assertArrayEquals(new double[] {9, 18, 7, 16}, Tensor.row(10, 20).sub(m).data());
    }

    @Test
    void incompatibleShapesAreRejectedWhenRecordedNamingTheOpAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(32, 100).add(Tensor.zeros(64, 100)));
        assertEquals("add: 32x100 and 64x100 do not broadcast: rows 32 and 64 differ (each dimension must match or be 1)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).mul(Tensor.zeros(2, 4)));
        assertEquals("mul: 2x3 and 2x4 do not broadcast: columns 3 and 4 differ (each dimension must match or be 1)",
                e.getMessage());
    }

    @Test
    void maskMultiplyPassesGradientOnlyThroughKeptElementsAndNeverToTheMask() {
        Tensor x = random(3, 2, 7).requiresGrad(true);
        Tensor mask = Tensor.of(new double[][] {{1}, {0}, {1}}).requiresGrad(true);
        try (Tape tape = Tape.record()) {
            tape.backward(ElementwiseOps.maskMul(x, mask).sum());
        }
        assertArrayEquals(new double[] {1, 1, 0, 0, 1, 1}, x.grad().data());
        assertEquals(null, mask.grad());
        assertGradients(in -> weighted(ElementwiseOps.maskMul(in.get(0), Tensor.row(0, 1))), random(3, 2, 8));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.5, 0.9})
    void dropoutKeepsTheExpectedValueAndUsesTheSameMaskInBackward(double p) {
        Tensor x = Tensor.ones(200, 50);
        Tensor out = ElementwiseOps.dropout(x, p, Randomness.seeded(3));
        double kept = 0;
        for (double v : out.data()) {
            if (v != 0) {
                assertEquals(1 / (1 - p), v, 1e-12);
                kept++;
            }
        }
        assertEquals(1 - p, kept / x.size(), 0.02);
        assertGradients(in -> weighted(ElementwiseOps.dropout(in.get(0), p, Randomness.seeded(5))), random(4, 6, 9));
    }

    @Test
    void dropoutWithProbabilityZeroIsTheIdentityAndOneIsRefused() {
        Tensor x = random(2, 2, 1);
        assertSame(x, ElementwiseOps.dropout(x, 0, Randomness.seeded(1)));
        assertThrows(IllegalArgumentException.class, () -> ElementwiseOps.dropout(x, 1.0, Randomness.seeded(1)));
    }

    @Test
    void sameSeedGivesTheSameDropoutMask() {
        Tensor x = Tensor.ones(10, 10);
        assertArrayEquals(ElementwiseOps.dropout(x, 0.5, Randomness.seeded(42)).data(),
                ElementwiseOps.dropout(x, 0.5, Randomness.seeded(42)).data());
    }

    @Test
    void clampRejectsAnEmptyRange() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1, 1).clamp(1, 0));
    }
}
