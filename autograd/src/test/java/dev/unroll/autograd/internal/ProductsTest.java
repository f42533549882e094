package dev.unroll.autograd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every product kernel that can run here agrees with EJML to rounding, in every form. */
class ProductsTest {

    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(1, 1, 1), Arguments.of(1, 100, 100), Arguments.of(7, 1, 5), Arguments.of(1, 13, 1),
                Arguments.of(5, 3, 17), Arguments.of(33, 65, 31), Arguments.of(64, 64, 64), Arguments.of(70, 130, 90),
                Arguments.of(4, 17, 9), Arguments.of(25, 100, 65), Arguments.of(6, 33, 2), Arguments.of(9, 5, 4), Arguments.of(100, 100, 1));
    }

    private static DMatrixRMaj random(int rows, int cols, SplittableRandom rng) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rng.nextDouble(-1, 1);
        }
        return m;
    }

    @ParameterizedTest(name = "{0}x{1} by {2}")
    @MethodSource("shapes")
    void everyKernelMatchesEjmlInAllEightForms(int m, int n, int k) {
        SplittableRandom rng = new SplittableRandom(m * 1000L + n * 10L + k);
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                DMatrixRMaj a = transA ? random(k, m, rng) : random(m, k, rng);
                DMatrixRMaj b = transB ? random(n, k, rng) : random(k, n, rng);
                DMatrixRMaj opA = transA ? CommonOps_DDRM.transpose(a, null) : a;
                DMatrixRMaj opB = transB ? CommonOps_DDRM.transpose(b, null) : b;
                DMatrixRMaj start = random(m, n, rng);
                DMatrixRMaj product = new DMatrixRMaj(m, n);
                CommonOps_DDRM.mult(opA, opB, product);
                DMatrixRMaj sum = start.copy();
                CommonOps_DDRM.addEquals(sum, product);
                for (ProductKernelF64 kernel : ProductsF64.available()) {
                    for (boolean accumulate : new boolean[] {false, true}) {
                        DMatrixRMaj c = start.copy();
                        kernel.mult(a, transA, b, transB, c, accumulate);
                        DMatrixRMaj expected = accumulate ? sum : product;
                        for (int i = 0; i < c.data.length; i++) {
                            assertEquals(expected.data[i], c.data[i], 1e-12 * Math.max(1, k),
                                    kernel.name() + " transA=" + transA + " transB=" + transB + " accumulate=" + accumulate);
                        }
                    }
                }
                DMatrixRMaj viaSeam = start.copy();
                ProductsF64.mult(a, transA, b, transB, viaSeam, true);
                for (int i = 0; i < viaSeam.data.length; i++) {
                    assertEquals(sum.data[i], viaSeam.data[i], 1e-12 * Math.max(1, k));
                }
            }
        }
    }

    @Test
    void aNaNInOneFactorReachesTheProductEvenWhereTheOtherFactorIsZero() {
        for (ProductKernelF64 kernel : ProductsF64.available()) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    DMatrixRMaj zeros = new DMatrixRMaj(3, 3);
                    DMatrixRMaj withNaN = new DMatrixRMaj(3, 3);
                    withNaN.set(1, 1, Double.NaN);
                    DMatrixRMaj c = new DMatrixRMaj(3, 3);
                    kernel.mult(zeros, transA, withNaN, transB, c, false);
                    assertTrue(Double.isNaN(c.get(1, 1)), kernel.name() + " transA=" + transA + " transB=" + transB
                            + ": 0 x NaN must be NaN, as in BLAS, so a NaN never vanishes silently");
                }
            }
        }
    }

    @Test
    void theVectorKernelIsUsedWhenTheModuleIsPresent() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        boolean vector = ProductsF64.available().stream().anyMatch(kernel -> kernel instanceof VectorKernelF64);
        assertEquals(module, vector);
        assertTrue(ProductsF64.describe().startsWith(module ? "small: vector-api" : "small: java"), ProductsF64.describe());
    }

    @ParameterizedTest(name = "{0}x{1} by {2}")
    @MethodSource("shapes")
    void aConstantOperandGivesThePlainProductAndIsReadAgainInANewEpoch(int m, int n, int k) {
        SplittableRandom rng = new SplittableRandom(m * 7L + n * 3L + k);
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                DMatrixRMaj a = transA ? random(k, m, rng) : random(m, k, rng);
                DMatrixRMaj b = transB ? random(n, k, rng) : random(k, n, rng);
                for (ProductKernelF64 kernel : ProductsF64.available()) {
                    String what = kernel.name() + " transA=" + transA + " transB=" + transB;
                    DMatrixRMaj plain = new DMatrixRMaj(m, n);
                    kernel.mult(a, transA, b, transB, plain, false);
                    DMatrixRMaj constant = new DMatrixRMaj(m, n);
                    kernel.multConstant(a, transA, b, transB, constant, false, 1);
                    kernel.multConstant(a, transA, b, transB, constant, true, 1);
                    for (int i = 0; i < plain.data.length; i++) {
                        assertEquals(2 * plain.data[i], constant.data[i], 1e-12 * Math.max(1, k), what);
                    }
                    CommonOps_DDRM.scale(3, b);
                    kernel.multConstant(a, transA, b, transB, constant, false, 2);
                    CommonOps_DDRM.scale(1.0 / 3, b);
                    for (int i = 0; i < plain.data.length; i++) {
                        assertEquals(3 * plain.data[i], constant.data[i], 1e-12 * Math.max(1, k),
                                what + ": a new epoch reads b's new values");
                    }
                }
            }
        }
    }
}
