package dev.unroll.autograd;

/**
 * Index arithmetic for elementwise binary ops whose operands broadcast: each dimension of each
 * operand either equals the output's or is 1 (a 1xC row over rows, an Rx1 column over columns,
 * a 1x1 scalar over anything). Element (r, c) of the output reads {@code r * rowStride + c *
 * colStride} of an operand, the stride being 0 along a broadcast dimension; backward accumulates
 * through the same indices, which sums the gradient over the broadcast dimension.
 */
final class Broadcast {

    final int rows;
    final int cols;
    final boolean sameShape;
    final int aRowStride;
    final int aColStride;
    final int bRowStride;
    final int bColStride;

    private Broadcast(int rows, int cols, boolean sameShape, int ar, int ac, int br, int bc) {
        this.rows = rows;
        this.cols = cols;
        this.sameShape = sameShape;
        this.aRowStride = ar;
        this.aColStride = ac;
        this.bRowStride = br;
        this.bColStride = bc;
    }

    static Broadcast of(String op, Tensor a, Tensor b) {
        int rows = dimension(op, a, b, a.rows(), b.rows(), "rows");
        int cols = dimension(op, a, b, a.cols(), b.cols(), "columns");
        return new Broadcast(rows, cols, a.sameShape(b),
                a.rows() == 1 ? 0 : a.cols(), a.cols() == 1 ? 0 : 1,
                b.rows() == 1 ? 0 : b.cols(), b.cols() == 1 ? 0 : 1);
    }

    private static int dimension(String op, Tensor a, Tensor b, int da, int db, String name) {
        if (da == db || db == 1) {
            return da;
        }
        if (da == 1) {
            return db;
        }
        throw new IllegalArgumentException(op + ": " + a.shape() + " and " + b.shape() + " do not broadcast: "
                + name + " " + da + " and " + db + " differ (each dimension must match or be 1)");
    }

    int a(int r, int c) {
        return r * aRowStride + c * aColStride;
    }

    int b(int r, int c) {
        return r * bRowStride + c * bColStride;
    }
}
