package dev.unroll.autograd.internal;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.ejml.data.DMatrixRMaj;

/**
 * ProductsF64 on the JDK's Vector API (incubating in Java 17) with explicit SIMD fused
 * multiply-adds: A B and A^T B register-blocked (a block of C stays in registers over the whole
 * sum), A B^T as interleaved dot products. Several times faster than {@link JavaKernelF64} on the
 * small and medium matrices of a recurrent step. Loaded only when the JVM runs with {@code --add-modules jdk.incubator.vector};
 * {@link ProductsF64} falls back to {@link JavaKernelF64} otherwise. Internal.
 */
final class VectorKernelF64 implements ProductKernelF64 {

    static final VectorKernelF64 INSTANCE = new VectorKernelF64();

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorKernelF64() {
    }

    @Override
    public String name() {
        return "vector-api(" + S.length() + " lanes)";
    }

    @Override
    public void mult(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, DMatrixRMaj c, boolean accumulate) {
        if (transA && transB) {
            JavaKernelF64.INSTANCE.mult(a, true, b, true, c, accumulate);
            return;
        }
        if (!accumulate) {
            Arrays.fill(c.data, 0, c.numRows * c.numCols, 0.0);
        }
        if (transB) {
            timesTransposed(a.data, b.data, c.data, c.numRows, c.numCols, a.numCols);
        } else if (transA) {
            transposedTimes(a.data, b.data, c.data, c.numRows, c.numCols, a.numRows);
        } else {
            times(a.data, b.data, c.data, c.numRows, c.numCols, a.numCols);
        }
    }

    /** C += A B: A is m x k, B k x n. */
    static void times(double[] a, double[] b, double[] c, int m, int n, int k) {
        accumulate(a, k, 1, b, c, m, n, k);
    }

    /** C += A^T B: A is k x m, B k x n. */
    static void transposedTimes(double[] a, double[] b, double[] c, int m, int n, int k) {
        accumulate(a, 1, m, b, c, m, n, k);
    }

    /**
     * C[i] += sum_p A(i, p) B[p] with A(i, p) = a[i * rowStride + p * depthStride], which reads A
     * or A^T without copying. Register-blocked: a block of C (four rows by two vectors, or one
     * row by four vectors) stays in registers for the whole sum over p, so C is loaded and
     * stored once instead of once per p, and every load of B serves up to four rows.
     */
    private static void accumulate(double[] a, int rowStride, int depthStride, double[] b, double[] c,
            int m, int n, int k) {
        if (k <= 2) {
            outerProducts(a, rowStride, depthStride, b, c, m, n, k);
            return;
        }
        int i = 0;
        for (; i + 3 < m; i += 4) {
            fourRows(a, i, rowStride, depthStride, b, c, n, k);
        }
        for (; i < m; i++) {
            oneRow(a, i, rowStride, depthStride, b, c, n, k);
        }
    }

    /**
     * The same sum when k is 1 or 2 (the weight gradient of one timestep, g^T h): with so short a
     * sum there is nothing to keep in registers, and a streaming update of each row of C is fastest.
     */
    private static void outerProducts(double[] a, int rowStride, int depthStride, double[] b, double[] c,
            int m, int n, int k) {
        int lanes = S.length();
        int bound = S.loopBound(n);
        for (int i = 0; i < m; i++) {
            int c0 = i * n;
            for (int p = 0; p < k; p++) {
                double av = a[i * rowStride + p * depthStride];
                DoubleVector v = DoubleVector.broadcast(S, av);
                int bp = p * n;
                int j = 0;
                for (; j < bound; j += lanes) {
                    DoubleVector.fromArray(S, b, bp + j).fma(v, DoubleVector.fromArray(S, c, c0 + j)).intoArray(c, c0 + j);
                }
                for (; j < n; j++) {
                    c[c0 + j] += av * b[bp + j];
                }
            }
        }
    }

    private static void fourRows(double[] a, int i, int rowStride, int depthStride, double[] b, double[] c, int n, int k) {
        int lanes = S.length();
        int a0 = i * rowStride;
        int c0 = i * n;
        int j = 0;
        for (; j + 2 * lanes <= n; j += 2 * lanes) {
            DoubleVector s00 = DoubleVector.fromArray(S, c, c0 + j);
            DoubleVector s01 = DoubleVector.fromArray(S, c, c0 + j + lanes);
            DoubleVector s10 = DoubleVector.fromArray(S, c, c0 + n + j);
            DoubleVector s11 = DoubleVector.fromArray(S, c, c0 + n + j + lanes);
            DoubleVector s20 = DoubleVector.fromArray(S, c, c0 + 2 * n + j);
            DoubleVector s21 = DoubleVector.fromArray(S, c, c0 + 2 * n + j + lanes);
            DoubleVector s30 = DoubleVector.fromArray(S, c, c0 + 3 * n + j);
            DoubleVector s31 = DoubleVector.fromArray(S, c, c0 + 3 * n + j + lanes);
            for (int p = 0; p < k; p++) {
                int ap = a0 + p * depthStride;
                DoubleVector b0 = DoubleVector.fromArray(S, b, p * n + j);
                DoubleVector b1 = DoubleVector.fromArray(S, b, p * n + j + lanes);
                DoubleVector v0 = DoubleVector.broadcast(S, a[ap]);
                DoubleVector v1 = DoubleVector.broadcast(S, a[ap + rowStride]);
                DoubleVector v2 = DoubleVector.broadcast(S, a[ap + 2 * rowStride]);
                DoubleVector v3 = DoubleVector.broadcast(S, a[ap + 3 * rowStride]);
                s00 = b0.fma(v0, s00);
                s01 = b1.fma(v0, s01);
                s10 = b0.fma(v1, s10);
                s11 = b1.fma(v1, s11);
                s20 = b0.fma(v2, s20);
                s21 = b1.fma(v2, s21);
                s30 = b0.fma(v3, s30);
                s31 = b1.fma(v3, s31);
            }
            s00.intoArray(c, c0 + j);
            s01.intoArray(c, c0 + j + lanes);
            s10.intoArray(c, c0 + n + j);
            s11.intoArray(c, c0 + n + j + lanes);
            s20.intoArray(c, c0 + 2 * n + j);
            s21.intoArray(c, c0 + 2 * n + j + lanes);
            s30.intoArray(c, c0 + 3 * n + j);
            s31.intoArray(c, c0 + 3 * n + j + lanes);
        }
        if (j < n) {
            for (int r = 0; r < 4; r++) {
                columnsFrom(j, a, i + r, rowStride, depthStride, b, c, n, k);
            }
        }
    }

    private static void oneRow(double[] a, int i, int rowStride, int depthStride, double[] b, double[] c, int n, int k) {
        int lanes = S.length();
        int a0 = i * rowStride;
        int c0 = i * n;
        int j = 0;
        for (; j + 4 * lanes <= n; j += 4 * lanes) {
            DoubleVector s0 = DoubleVector.fromArray(S, c, c0 + j);
            DoubleVector s1 = DoubleVector.fromArray(S, c, c0 + j + lanes);
            DoubleVector s2 = DoubleVector.fromArray(S, c, c0 + j + 2 * lanes);
            DoubleVector s3 = DoubleVector.fromArray(S, c, c0 + j + 3 * lanes);
            for (int p = 0; p < k; p++) {
                DoubleVector v = DoubleVector.broadcast(S, a[a0 + p * depthStride]);
                int bp = p * n + j;
                s0 = DoubleVector.fromArray(S, b, bp).fma(v, s0);
                s1 = DoubleVector.fromArray(S, b, bp + lanes).fma(v, s1);
                s2 = DoubleVector.fromArray(S, b, bp + 2 * lanes).fma(v, s2);
                s3 = DoubleVector.fromArray(S, b, bp + 3 * lanes).fma(v, s3);
            }
            s0.intoArray(c, c0 + j);
            s1.intoArray(c, c0 + j + lanes);
            s2.intoArray(c, c0 + j + 2 * lanes);
            s3.intoArray(c, c0 + j + 3 * lanes);
        }
        columnsFrom(j, a, i, rowStride, depthStride, b, c, n, k);
    }

    /**
     * Row i of C from column {@code from} on: one vector at a time, then the last columns four at a
     * time (four independent sums keep the multiply-adds from waiting on each other), then one by one.
     */
    private static void columnsFrom(int from, double[] a, int i, int rowStride, int depthStride, double[] b, double[] c,
            int n, int k) {
        int lanes = S.length();
        int a0 = i * rowStride;
        int c0 = i * n;
        int j = from;
        for (; j + lanes <= n; j += lanes) {
            DoubleVector s = DoubleVector.fromArray(S, c, c0 + j);
            for (int p = 0; p < k; p++) {
                s = DoubleVector.fromArray(S, b, p * n + j).fma(DoubleVector.broadcast(S, a[a0 + p * depthStride]), s);
            }
            s.intoArray(c, c0 + j);
        }
        for (; j + 3 < n; j += 4) {
            double s0 = c[c0 + j];
            double s1 = c[c0 + j + 1];
            double s2 = c[c0 + j + 2];
            double s3 = c[c0 + j + 3];
            for (int p = 0; p < k; p++) {
                double av = a[a0 + p * depthStride];
                int bp = p * n + j;
                s0 += av * b[bp];
                s1 += av * b[bp + 1];
                s2 += av * b[bp + 2];
                s3 += av * b[bp + 3];
            }
            c[c0 + j] = s0;
            c[c0 + j + 1] = s1;
            c[c0 + j + 2] = s2;
            c[c0 + j + 3] = s3;
        }
        for (; j < n; j++) {
            double s = c[c0 + j];
            for (int p = 0; p < k; p++) {
                s += a[a0 + p * depthStride] * b[p * n + j];
            }
            c[c0 + j] = s;
        }
    }

    /** C[i][j] += A[i] . B[j]: A is m x k, B n x k; four dots share each load of A. */
    static void timesTransposed(double[] a, double[] b, double[] c, int m, int n, int k) {
        int bound = S.loopBound(k);
        double[] lanes = new double[S.length()];
        for (int i = 0; i < m; i++) {
            int ai = i * k;
            int ci = i * n;
            int j = 0;
            for (; j + 3 < n; j += 4) {
                int b0 = j * k;
                DoubleVector s0 = DoubleVector.zero(S);
                DoubleVector s1 = s0;
                DoubleVector s2 = s0;
                DoubleVector s3 = s0;
                int p = 0;
                for (; p < bound; p += S.length()) {
                    DoubleVector va = DoubleVector.fromArray(S, a, ai + p);
                    s0 = va.fma(DoubleVector.fromArray(S, b, b0 + p), s0);
                    s1 = va.fma(DoubleVector.fromArray(S, b, b0 + k + p), s1);
                    s2 = va.fma(DoubleVector.fromArray(S, b, b0 + 2 * k + p), s2);
                    s3 = va.fma(DoubleVector.fromArray(S, b, b0 + 3 * k + p), s3);
                }
                double r0 = sumOfLanes(s0, lanes);
                double r1 = sumOfLanes(s1, lanes);
                double r2 = sumOfLanes(s2, lanes);
                double r3 = sumOfLanes(s3, lanes);
                for (; p < k; p++) {
                    double av = a[ai + p];
                    r0 += av * b[b0 + p];
                    r1 += av * b[b0 + k + p];
                    r2 += av * b[b0 + 2 * k + p];
                    r3 += av * b[b0 + 3 * k + p];
                }
                c[ci + j] += r0;
                c[ci + j + 1] += r1;
                c[ci + j + 2] += r2;
                c[ci + j + 3] += r3;
            }
            for (; j < n; j++) {
                int bj = j * k;
                DoubleVector s = DoubleVector.zero(S);
                int p = 0;
                for (; p < bound; p += S.length()) {
                    s = DoubleVector.fromArray(S, a, ai + p).fma(DoubleVector.fromArray(S, b, bj + p), s);
                }
                double r = sumOfLanes(s, lanes);
                for (; p < k; p++) {
                    r += a[ai + p] * b[bj + p];
                }
                c[ci + j] += r;
            }
        }
    }

    /**
     * The sum of a vector's lanes, added from the first lane to the last, through {@code lanes}
     * (a scratch array of one vector's length). Not {@code reduceLanes(ADD)}: from JDK 24 on, C2
     * may add its lanes in another order than the interpreter does, and then the same run trains
     * other bits once the kernel is compiled. Nor {@code lane(i)} per lane: JDK 17 does not compile
     * it to a register move, and at 8 float lanes the extraction took a tenth of a small model's time.
     */
    private static double sumOfLanes(DoubleVector v, double[] lanes) {
        v.intoArray(lanes, 0);
        double sum = lanes[0];
        for (int lane = 1; lane < lanes.length; lane++) {
            sum += lanes[lane];
        }
        return sum;
    }
}
