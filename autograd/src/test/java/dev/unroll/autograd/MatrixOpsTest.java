package dev.unroll.autograd;

import static dev.unroll.autograd.Gradients.assertGradients;
import static dev.unroll.autograd.Gradients.random;
import static dev.unroll.autograd.Gradients.weighted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MatrixOpsTest {

    @Test
    void matmulComputesTheProduct() {
        Tensor a = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        Tensor b = Tensor.of(new double[][] {{5, 6, 7}, {8, 9, 10}});
        assertArrayEquals(new double[] {21, 24, 27, 47, 54, 61}, a.matmul(b).data());
        assertArrayEquals(new double[] {21, 24, 27, 47, 54, 61}, a.matmulTransB(b.transpose()).data());
        assertArrayEquals(new double[] {21, 24, 27, 47, 54, 61}, MatrixOps.matmulTransA(a.transpose(), b).data());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void productGradientsMatchFiniteDifferences(int batch) {
        Tensor x = random(batch, 4, 1);
        assertGradients(in -> weighted(in.get(0).matmul(in.get(1))), x, random(4, 3, 2));
        assertGradients(in -> weighted(in.get(0).matmulTransB(in.get(1))), x, random(3, 4, 3));
        assertGradients(in -> weighted(MatrixOps.matmulTransA(in.get(0), in.get(1))), random(4, batch, 4), random(4, 3, 5));
        assertGradients(in -> weighted(in.get(0).transpose()), x);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void linearGradientsMatchFiniteDifferencesWithAndWithoutBias(int batch) {
        Tensor x = random(batch, 4, 1);
        Tensor w = random(3, 4, 2);
        Tensor b = random(1, 3, 3);
        assertGradients(in -> weighted(MatrixOps.linear(in.get(0), in.get(1), in.get(2))), x, w, b);
        assertGradients(in -> weighted(MatrixOps.linear(in.get(0), in.get(1), null)), x, w);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void addLinearGradientsMatchFiniteDifferences(int batch) {
        Tensor base = random(batch, 3, 4);
        Tensor x = random(batch, 4, 1);
        Tensor w = random(3, 4, 2);
        Tensor b = random(1, 3, 3);
        assertGradients(in -> weighted(MatrixOps.addLinear(in.get(0), in.get(1), in.get(2), in.get(3))), base, x, w, b);
        assertGradients(in -> weighted(MatrixOps.addLinear(in.get(0), in.get(1), in.get(2), null)), base, x, w);
        assertArrayEquals(base.add(MatrixOps.linear(x, w, b)).data(), MatrixOps.addLinear(base, x, w, b).data(), 1e-14);
        assertThrows(IllegalArgumentException.class, () -> MatrixOps.addLinear(random(batch, 2, 1), x, w, b));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void linearOfOneHotEqualsTheProductWithTheOneHotMatrixAndItsGradients(int batch) {
        int[] ids = batch == 1 ? new int[] {2} : new int[] {2, 0, 3, 2, 1};
        Tensor w = random(3, 4, 2);
        Tensor b = random(1, 3, 3);
        assertArrayEquals(MatrixOps.linear(ShapeOps.oneHot(ids, 4), w, b).data(), MatrixOps.linearOfOneHot(ids, w, b).data(),
                1e-15);
        assertGradients(in -> weighted(MatrixOps.linearOfOneHot(ids, in.get(0), in.get(1))), w, b);
        assertGradients(in -> weighted(MatrixOps.linearOfOneHot(ids, in.get(0), null)), w);
        assertThrows(IllegalArgumentException.class, () -> MatrixOps.linearOfOneHot(new int[] {4}, w, b));
    }

    @Test
    void linearEqualsProductPlusBroadcastBias() {
        Tensor x = random(5, 4, 1);
        Tensor w = random(3, 4, 2);
        Tensor b = random(1, 3, 3);
        assertArrayEquals(x.matmulTransB(w).add(b).data(), MatrixOps.linear(x, w, b).data(), 1e-14);
    }

    @Test
    void aMatrixUsedOnBothSidesOfAProductGetsBothGradients() {
        assertGradients(in -> weighted(in.get(0).matmul(in.get(0))), random(3, 3, 7));
        assertGradients(in -> weighted(in.get(0).matmulTransB(in.get(0))), random(2, 3, 8));
    }

    @Test
    void productsTransposeAndAffineMapsOfAnInputUsedTwiceGetBothGradients() {
        Tensor x = random(3, 3, 9);
        Tensor b = random(1, 3, 10);
        assertGradients(in -> weighted(MatrixOps.matmulTransA(in.get(0), in.get(0))), random(4, 3, 11));
        assertGradients(in -> weighted(MatrixOps.matmulTransA(in.get(0), in.get(0).tanh())), random(4, 3, 12));
        assertGradients(in -> weighted(in.get(0).transpose().mul(in.get(0))), x);
        assertGradients(in -> weighted(in.get(0).transpose().matmul(in.get(0))), random(2, 3, 13));
        assertGradients(in -> weighted(MatrixOps.linear(in.get(0), in.get(0), in.get(1))), x, b);
        assertGradients(in -> weighted(MatrixOps.linear(in.get(0), random(3, 3, 14), in.get(1)).mul(in.get(0))), x, b);
        assertGradients(in -> weighted(MatrixOps.addLinear(in.get(0), in.get(0), in.get(0), in.get(1))), x, b);
        assertGradients(in -> weighted(MatrixOps.addLinear(in.get(0).tanh(), random(3, 3, 15), in.get(0), null)), x);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void linearOfOneHotWithItsWeightUsedTwiceGetsBothGradients(int batch) {
        int[] ids = batch == 1 ? new int[] {1} : new int[] {2, 0, 3, 2, 1};
        Tensor w = random(3, 4, 16);
        Tensor b = random(1, 3, 17);
        assertGradients(in -> weighted(MatrixOps.linearOfOneHot(ids, in.get(0), in.get(1)).matmul(in.get(0))), w, b);
        assertGradients(in -> weighted(MatrixOps.linearOfOneHot(ids, in.get(0), null)
                .add(MatrixOps.linearOfOneHot(ids, in.get(0).scale(-2), in.get(1)))), w, b);
    }

    @Test
    void shapeErrorsNameTheOpAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(32, 100).matmul(Tensor.zeros(64, 100)));
        assertEquals("matmul: 32x100 times 64x100: inner dimensions 100 and 64 differ", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(32, 100).matmulTransB(Tensor.zeros(64, 50)));
        assertEquals("matmulTransB: 32x100 times (64x50)^T: inner dimensions 100 and 50 differ", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatrixOps.linear(Tensor.zeros(8, 10), Tensor.zeros(4, 12), null));
        assertEquals("linear: input 8x10 and weight 4x12 (out x in): the input has 10 features but the weight expects 12",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatrixOps.linear(Tensor.zeros(8, 10), Tensor.zeros(4, 10), Tensor.zeros(1, 5)));
        assertEquals("linear: bias 1x5 does not fit weight 4x10; the bias must be 1x4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatrixOps.matmulTransA(Tensor.zeros(3, 2), Tensor.zeros(4, 5)));
        assertEquals("matmulTransA: (3x2)^T times 4x5: inner dimensions 3 and 4 differ", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatrixOps.addLinear(Tensor.zeros(8, 3), Tensor.zeros(8, 10), Tensor.zeros(4, 10), null));
        assertEquals("addLinear: base 8x3 does not match the product of input 8x10 and weight 4x10; it must be 8x4",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatrixOps.addLinear(Tensor.zeros(8, 4), Tensor.zeros(8, 10), Tensor.zeros(4, 12), null));
        assertEquals("addLinear: input 8x10 and weight 4x12 (out x in): the input has 10 features but the weight "
                + "expects 12", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatrixOps.addLinear(Tensor.zeros(8, 4), Tensor.zeros(8, 10), Tensor.zeros(4, 10), Tensor.zeros(4, 1)));
        assertEquals("addLinear: bias 4x1 does not fit weight 4x10; the bias must be 1x4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatrixOps.linearOfOneHot(new int[] {1, 4}, Tensor.zeros(3, 4), null));
        assertEquals("linearOfOneHot: index 4 at row 1 is outside [0, 4) for weight 3x4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MatrixOps.linearOfOneHot(new int[] {1}, Tensor.zeros(3, 4), Tensor.zeros(1, 4)));
        assertEquals("linearOfOneHot: bias 1x4 does not fit weight 3x4; the bias must be 1x3", e.getMessage());
    }
}
