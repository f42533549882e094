package dev.unroll.autograd.internal;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * Plain-Java products for small matrices, always available. Loops are shaped so the work is in
 * row-contiguous axpy updates (A B and A^T B) or in four interleaved dot products that share one
 * row of A (A B^T), which keeps several independent multiply-adds in flight. About twice EJML's
 * speed on the matrix-vector products of a batch-1 RNN. Internal.
 */
final class JavaKernelF64 implements ProductKernelF64 {

    static final JavaKernelF64 INSTANCE = new JavaKernelF64();

    private JavaKernelF64() {
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void mult(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, DMatrixRMaj c, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c.data, 0, c.numRows * c.numCols, 0.0);
        }
        if (transA && transB) {
            transposedTimesTransposed(a.data, b.data, c.data, c.numRows, c.numCols, a.numRows);
        } else if (transB) {
            timesTransposed(a.data, b.data, c.data, c.numRows, c.numCols, a.numCols);
        } else if (transA) {
            transposedTimes(a.data, b.data, c.data, c.numRows, c.numCols, a.numRows);
        } else {
            times(a.data, b.data, c.data, c.numRows, c.numCols, a.numCols);
        }
    }

    /** C[i] += A[i] B: A is m x k, B k x n. */
    static void times(double[] a, double[] b, double[] c, int m, int n, int k) {
        for (int i = 0; i < m; i++) {
            int ci = i * n;
            for (int p = 0; p < k; p++) {
                double av = a[i * k + p];
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += av * b[bp + j];
                }
            }
        }
    }

    /** C[i][j] += A[i] . B[j]: A is m x k, B n x k. */
    static void timesTransposed(double[] a, double[] b, double[] c, int m, int n, int k) {
        for (int i = 0; i < m; i++) {
            int ai = i * k;
            int ci = i * n;
            int j = 0;
            for (; j + 3 < n; j += 4) {
                int b0 = j * k;
                int b1 = b0 + k;
                int b2 = b1 + k;
                int b3 = b2 + k;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                for (int p = 0; p < k; p++) {
                    double av = a[ai + p];
                    s0 += av * b[b0 + p];
                    s1 += av * b[b1 + p];
                    s2 += av * b[b2 + p];
                    s3 += av * b[b3 + p];
                }
                c[ci + j] += s0;
                c[ci + j + 1] += s1;
                c[ci + j + 2] += s2;
                c[ci + j + 3] += s3;
            }
            for (; j < n; j++) {
                double s = 0;
                int bj = j * k;
                for (int p = 0; p < k; p++) {
                    s += a[ai + p] * b[bj + p];
                }
                c[ci + j] += s;
            }
        }
    }

    /**
     * C[i][j] += sum_p A[p][i] B[j][p]: A is k x m, B n x k. No op's hot path multiplies two
     * transposes, so this is the plain loop (its float32 twin must not need EJML's float kernels:
     * ejml-fdense splits packages with ejml-ddense, which a module descriptor cannot read together).
     */
    static void transposedTimesTransposed(double[] a, double[] b, double[] c, int m, int n, int k) {
        for (int j = 0; j < n; j++) {
            int bj = j * k;
            for (int p = 0; p < k; p++) {
                double bv = b[bj + p];
                int ap = p * m;
                for (int i = 0; i < m; i++) {
                    c[i * n + j] += a[ap + i] * bv;
                }
            }
        }
    }

    /** C[i] += sum_p A[p][i] B[p]: A is k x m, B k x n. */
    static void transposedTimes(double[] a, double[] b, double[] c, int m, int n, int k) {
        for (int p = 0; p < k; p++) {
            int bp = p * n;
            for (int i = 0; i < m; i++) {
                double av = a[p * m + i];
                int ci = i * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += av * b[bp + j];
                }
            }
        }
    }
}
