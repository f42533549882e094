package dev.unroll.autograd.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.ejml.data.DMatrixRMaj;

/**
 * Medium and large products on the Vector API, at the machine's GEMM ceiling without leaving
 * the Java heap: no copy into native memory, no JNI call, the same bits on every machine.
 *
 * <p>The product is computed as T = X Y with T either C (X = op(A), Y = op(B)) or C^T (X =
 * op(B)^T, Y = op(A)^T), whichever makes Y the narrower side. Y is packed once into panels of
 * {@link #NR} columns (two vectors), contiguous in depth and zero-padded at the edge; each chunk
 * of X is packed, a block of depths at a time, into micro-tiles of {@link #MR} interleaved rows
 * that stay in the level-2 cache, so either operand may be transposed at no extra cost. A micro-kernel
 * keeps an {@link #MR} x NR tile of T in twelve vector registers while it runs over a block of
 * {@link #KC} depths: two vector loads and six broadcasts feed twelve fused multiply-adds. Rows
 * of X are split into chunks that the calling thread and the {@link ProductThreads} workers take
 * from a shared counter, so a busy core takes fewer chunks instead of holding the others up.
 *
 * <p>Every element of T is one fused multiply-add chain over the depth in ascending order,
 * restarted at each block of KC and added to C block by block. That order depends only on the
 * depth, never on the tile, the thread, the orientation or the vector width, so results are
 * identical across runs, thread counts and machines. Internal.
 */
final class PackedKernelF64 implements ProductKernelF64 {

    static final PackedKernelF64 INSTANCE = new PackedKernelF64();

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    /** Rows of a micro-tile: 6 rows x 2 vectors = 12 accumulators, + 2 loads + 1 broadcast = 15 of 16 AVX2 registers. */
    static final int MR = 6;

    /** Columns of a packed panel of Y: two vectors. */
    static final int NR = 2 * S.length();

    /** Depth of a block: a KC x NR panel (16 KiB for doubles on AVX2) stays in the level-1 cache. */
    static final int KC = 256;

    /** Rows of X per work chunk (a multiple of MR): a chunk's MC x KC block of X stays in the level-2 cache. */
    static final int MC = 12 * MR;

    /**
     * Columns of T from which X is packed: below, each element of X serves fewer than this many
     * multiply-adds and is cheaper to read in place than to copy.
     */
    static final int PACK_X_FROM_COLS = 96;

    private PackedKernelF64() {
    }

    @Override
    public String name() {
        return "packed-vector(" + S.length() + " lanes)";
    }

    @Override
    public void mult(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, DMatrixRMaj c, boolean accumulate) {
        run(a, transA, b, transB, c, accumulate, 0);
    }

    /**
     * Packs the constant b once per epoch (as X micro-tiles when C is computed transposed, as Y
     * panels otherwise), so every timestep of a recurrent layer, and its backward, reuses the
     * packing: each product then only packs its narrow operand.
     */
    @Override
    public void multConstant(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, DMatrixRMaj c,
            boolean accumulate, long epoch) {
        run(a, transA, b, transB, c, accumulate, epoch);
    }

    private static void run(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, DMatrixRMaj c,
            boolean accumulate, long epoch) {
        int m = c.numRows;
        int n = c.numCols;
        int k = transA ? a.numRows : a.numCols;
        if (!accumulate) {
            Arrays.fill(c.data, 0, m * n, 0.0);
        }
        if (k == 0) {
            return;
        }
        Product p = new Product();
        p.c = c.data;
        p.ldc = n;
        p.depth = k;
        // Y is packed, so it is the narrower operand: C^T when A has fewer rows than B columns.
        p.transposed = m < n;
        if (!p.transposed) {
            // T = C: X = op(A) (m x k), Y = op(B) (k x n).
            p.rows = m;
            p.cols = n;
            p.x = a.data;
            p.xRowStride = transA ? 1 : a.numCols;
            p.xDepthStride = transA ? a.numCols : 1;
            int depthStride = transB ? 1 : b.numCols;
            int colStride = transB ? b.numCols : 1;
            p.packed = epoch == 0 ? pack(b.data, depthStride, colStride, k, n, Scratch.F64.get().packed(packedSize(k, n)))
                    : Scratch.F64.get().constant(b.data, transB ? 1 : 0, epoch, packedSize(k, n),
                            into -> pack(b.data, depthStride, colStride, k, n, into));
        } else {
            // T = C^T: X = op(B)^T (n x k), Y = op(A)^T (k x m).
            p.rows = n;
            p.cols = m;
            p.x = b.data;
            p.xRowStride = transB ? b.numCols : 1;
            p.xDepthStride = transB ? 1 : b.numCols;
            if (epoch != 0) {
                int rs = p.xRowStride;
                int ds = p.xDepthStride;
                p.xPacked = Scratch.F64.get().constant(b.data, transB ? 3 : 2, epoch, paddedRows(n) * k,
                        into -> packAllRows(b.data, rs, ds, n, k, into));
            }
            p.packed = pack(a.data, transA ? a.numCols : 1, transA ? 1 : a.numCols, k, m,
                    Scratch.F64.get().packed(packedSize(k, m)));
        }
        ProductThreads.run(p, (p.rows + MC - 1) / MC, (long) m * n * k);
    }

    /**
     * Packs Y (depth x cols, Y(p, j) = y[p * depthStride + j * colStride]) into panels of NR
     * columns, each depth x NR contiguous (so a panel's rows never alias in the cache, as the
     * rows of a matrix a power of two wide do), the last one zero-padded.
     */
    private static double[] pack(double[] y, int depthStride, int colStride, int depth, int cols, double[] packed) {
        int panels = (cols + NR - 1) / NR;
        for (int panel = 0; panel < panels; panel++) {
            int j0 = panel * NR;
            int width = Math.min(NR, cols - j0);
            int base = panel * depth * NR;
            if (colStride == 1) {
                for (int p = 0; p < depth; p++) {
                    int dst = base + p * NR;
                    System.arraycopy(y, p * depthStride + j0, packed, dst, width);
                    for (int j = width; j < NR; j++) {
                        packed[dst + j] = 0.0;
                    }
                }
            } else {
                // Y's columns are contiguous in depth: read each along its depth, write it into its lane.
                for (int j = 0; j < NR; j++) {
                    if (j < width) {
                        int src = (j0 + j) * colStride;
                        for (int p = 0; p < depth; p++) {
                            packed[base + p * NR + j] = y[src + p * depthStride];
                        }
                    } else {
                        for (int p = 0; p < depth; p++) {
                            packed[base + p * NR + j] = 0.0;
                        }
                    }
                }
            }
        }
        return packed;
    }

    private static int packedSize(int depth, int cols) {
        return (cols + NR - 1) / NR * NR * depth;
    }

    private static int paddedRows(int rows) {
        return (rows + MR - 1) / MR * MR;
    }

    /**
     * Packs all of X (rows x depth, X(r, p) = x[r * rs + p * ds]) as {@link #tile} reads it: the
     * block of depths starting at p0 occupies [p0 * paddedRows, (p0 + kc) * paddedRows), and
     * within it micro-tile t (rows t * MR onwards, zero past the last row) is kc x MR from t * MR * kc.
     */
    private static double[] packAllRows(double[] x, int rs, int ds, int rows, int depth, double[] into) {
        int padded = paddedRows(rows);
        for (int p0 = 0; p0 < depth; p0 += KC) {
            int kc = Math.min(KC, depth - p0);
            packRows(x, p0 * ds, rs, ds, rows, kc, padded, into, p0 * padded);
        }
        return into;
    }

    /**
     * Packs {@code count} rows of X over kc depths (X(r, p) at x[off + r * rs + p * ds]) as
     * micro-tiles of MR rows from {@code at}, each kc x MR with the rows interleaved, zero past
     * the last row and up to {@code padded} rows.
     */
    static void packRows(double[] x, int off, int rs, int ds, int count, int kc, int padded, double[] into, int at) {
        for (int t = 0; t * MR < padded; t++) {
            int base = at + t * MR * kc;
            int valid = Math.max(0, Math.min(MR, count - t * MR));
            for (int r = 0; r < MR; r++) {
                if (r < valid) {
                    int src = off + (t * MR + r) * rs;
                    for (int p = 0; p < kc; p++) {
                        into[base + p * MR + r] = x[src + p * ds];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        into[base + p * MR + r] = 0.0;
                    }
                }
            }
        }
    }

    /** One product's operands and layout, shared read-only by the threads that compute its chunks. */
    static final class Product implements ProductThreads.Chunked {
        double[] x;
        int xRowStride;
        int xDepthStride;
        /** All of X packed by {@link #packAllRows} (a constant operand), or null. */
        double[] xPacked;
        double[] packed;
        double[] c;
        int ldc;
        int rows;
        int cols;
        int depth;
        boolean transposed;

        /**
         * Computes rows [chunk * MC, (chunk + 1) * MC) of T and adds them into C. X is read in
         * place through its strides when T is narrow (each element of X then serves few columns,
         * so copying it would cost as much as using it), and packed into micro-tiles otherwise;
         * a last tile of fewer than MR rows is always packed, zero-padded. When T is C^T, the
         * chunk's part of C is gathered into a row-major block once, the tiles are added into
         * it, and it is written back once: adding each tile into C directly would touch NR rows
         * of C per tile and depth block, rows a power of two apart that evict each other from the
         * level-1 cache (C3's forward product ran at 57-62 GFLOP/s that way, 74-77 this way).
         * The additions are the same, in the same order, so the bits are too.
         */
        @Override
        public void compute(int chunk) {
            Scratch scratch = Scratch.F64.get();
            int r0 = chunk * MC;
            int r1 = Math.min(rows, r0 + MC);
            int panels = (cols + NR - 1) / NR;
            boolean inPlace = xPacked == null && cols < PACK_X_FROM_COLS;
            int padded = paddedRows(rows);
            double[] tile = scratch.tile;
            double[] block = transposed ? scratch.block(MC * cols) : null;
            if (block != null) {
                transposeBlock(r0, r1, block, true);
            }
            for (int p0 = 0; p0 < depth; p0 += KC) {
                int kc = Math.min(KC, depth - p0);
                int fullEnd = inPlace ? r0 + (r1 - r0) / MR * MR : r1;
                double[] xs = xPacked;
                int xBase = p0 * padded + r0 * kc;
                if (xs == null && !inPlace) {
                    xs = scratch.rows;
                    xBase = 0;
                    packRows(x, r0 * xRowStride + p0 * xDepthStride, xRowStride, xDepthStride, r1 - r0, kc,
                            paddedRows(r1 - r0), xs, 0);
                }
                double[] edge = null;
                if (inPlace && fullEnd < r1) {
                    edge = scratch.edge;
                    packRows(x, fullEnd * xRowStride + p0 * xDepthStride, xRowStride, xDepthStride, r1 - fullEnd, kc,
                            MR, edge, 0);
                }
                for (int panel = 0; panel < panels; panel++) {
                    int j0 = panel * NR;
                    int width = Math.min(NR, cols - j0);
                    int base = panel * depth * NR + p0 * NR;
                    for (int i0 = r0; i0 < r1; i0 += MR) {
                        if (!inPlace) {
                            tile(xs, xBase + (i0 - r0) * kc, packed, base, kc, tile);
                        } else if (i0 < fullEnd) {
                            strided(x, i0 * xRowStride + p0 * xDepthStride, xRowStride, xDepthStride, packed, base, kc,
                                    tile);
                        } else {
                            tile(edge, 0, packed, base, kc, tile);
                        }
                        int tileRows = Math.min(MR, r1 - i0);
                        if (block == null) {
                            add(tile, c, ldc, i0, tileRows, j0, width);
                        } else {
                            add(tile, block, cols, i0 - r0, tileRows, j0, width);
                        }
                    }
                }
            }
            if (block != null) {
                transposeBlock(r0, r1, block, false);
            }
        }

        /**
         * Copies rows [r0, r1) of T = C^T between C and {@code block} (row-major, {@code cols}
         * wide): into the block when {@code gather}, back into C otherwise. Reads and writes C
         * along its rows.
         */
        private void transposeBlock(int r0, int r1, double[] block, boolean gather) {
            for (int j = 0; j < cols; j++) {
                int at = j * ldc;
                for (int r = r0; r < r1; r++) {
                    if (gather) {
                        block[(r - r0) * cols + j] = c[at + r];
                    } else {
                        c[at + r] = block[(r - r0) * cols + j];
                    }
                }
            }
        }

        /** Adds the valid part of a tile (tileRows x width at (i0, j0)) into the row-major {@code to}. */
        private static void add(double[] tile, double[] to, int ld, int i0, int tileRows, int j0, int width) {
            if (width == NR) {
                int lanes = S.length();
                for (int r = 0; r < tileRows; r++) {
                    int at = (i0 + r) * ld + j0;
                    DoubleVector.fromArray(S, tile, r * NR).add(DoubleVector.fromArray(S, to, at)).intoArray(to, at);
                    DoubleVector.fromArray(S, tile, r * NR + lanes).add(DoubleVector.fromArray(S, to, at + lanes))
                            .intoArray(to, at + lanes);
                }
            } else {
                for (int r = 0; r < tileRows; r++) {
                    for (int j = 0; j < width; j++) {
                        to[(i0 + r) * ld + j0 + j] += tile[r * NR + j];
                    }
                }
            }
        }
    }

    /**
     * The micro-kernel: tile = X(6 rows) Ypanel over kc depths, with X packed as
     * {@code x[off + p * MR + r]} and the packed panel contiguous from {@code base}. Writes the
     * whole MR x NR tile.
     */
    static void tile(double[] x, int off, double[] y, int base, int kc, double[] tile) {
        int lanes = S.length();
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c40 = c00;
        DoubleVector c41 = c00;
        DoubleVector c50 = c00;
        DoubleVector c51 = c00;
        for (int p = 0; p < kc; p++) {
            int yp = base + p * NR;
            int xp = off + p * MR;
            DoubleVector y0 = DoubleVector.fromArray(S, y, yp);
            DoubleVector y1 = DoubleVector.fromArray(S, y, yp + lanes);
            DoubleVector v = DoubleVector.broadcast(S, x[xp]);
            c00 = y0.fma(v, c00);
            c01 = y1.fma(v, c01);
            v = DoubleVector.broadcast(S, x[xp + 1]);
            c10 = y0.fma(v, c10);
            c11 = y1.fma(v, c11);
            v = DoubleVector.broadcast(S, x[xp + 2]);
            c20 = y0.fma(v, c20);
            c21 = y1.fma(v, c21);
            v = DoubleVector.broadcast(S, x[xp + 3]);
            c30 = y0.fma(v, c30);
            c31 = y1.fma(v, c31);
            v = DoubleVector.broadcast(S, x[xp + 4]);
            c40 = y0.fma(v, c40);
            c41 = y1.fma(v, c41);
            v = DoubleVector.broadcast(S, x[xp + 5]);
            c50 = y0.fma(v, c50);
            c51 = y1.fma(v, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, lanes);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + lanes);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + lanes);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + lanes);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + lanes);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + lanes);
    }

    /**
     * The micro-kernel reading X in place: X(r, p) at {@code x[off + r * rs + p * ds]}, for MR
     * rows that all exist. Same arithmetic, in the same order, as {@link #tile}.
     */
    static void strided(double[] x, int off, int rs, int ds, double[] y, int base, int kc, double[] tile) {
        int lanes = S.length();
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c40 = c00;
        DoubleVector c41 = c00;
        DoubleVector c50 = c00;
        DoubleVector c51 = c00;
        int r1 = rs;
        int r2 = 2 * rs;
        int r3 = 3 * rs;
        int r4 = 4 * rs;
        int r5 = 5 * rs;
        for (int p = 0; p < kc; p++) {
            int yp = base + p * NR;
            int xp = off + p * ds;
            DoubleVector y0 = DoubleVector.fromArray(S, y, yp);
            DoubleVector y1 = DoubleVector.fromArray(S, y, yp + lanes);
            DoubleVector v = DoubleVector.broadcast(S, x[xp]);
            c00 = y0.fma(v, c00);
            c01 = y1.fma(v, c01);
            v = DoubleVector.broadcast(S, x[xp + r1]);
            c10 = y0.fma(v, c10);
            c11 = y1.fma(v, c11);
            v = DoubleVector.broadcast(S, x[xp + r2]);
            c20 = y0.fma(v, c20);
            c21 = y1.fma(v, c21);
            v = DoubleVector.broadcast(S, x[xp + r3]);
            c30 = y0.fma(v, c30);
            c31 = y1.fma(v, c31);
            v = DoubleVector.broadcast(S, x[xp + r4]);
            c40 = y0.fma(v, c40);
            c41 = y1.fma(v, c41);
            v = DoubleVector.broadcast(S, x[xp + r5]);
            c50 = y0.fma(v, c50);
            c51 = y1.fma(v, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, lanes);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + lanes);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + lanes);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + lanes);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + lanes);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + lanes);
    }

    /** Fills a buffer with a packed operand. */
    @FunctionalInterface
    interface Packing {
        void into(double[] buffer);
    }

    /** Per-thread buffers: the packed Y of the calling thread, a chunk's packed X and C^T block, a tile, and packed constants. */
    static final class Scratch {
        static final ThreadLocal<Scratch> F64 = ThreadLocal.withInitial(Scratch::new);

        final double[] tile = new double[MR * NR];
        final double[] rows = new double[MC * KC];
        final double[] edge = new double[MR * KC];
        private double[] packed = new double[0];
        private double[] block = new double[0];
        private final List<Constant> constants = new ArrayList<>();

        /** The row-major block of C^T that a chunk of a transposed product accumulates in. */
        double[] block(int length) {
            if (block.length < length) {
                block = new double[length];
            }
            return block;
        }

        double[] packed(int length) {
            if (packed.length < length) {
                packed = new double[length];
            }
            return packed;
        }

        /**
         * The packing of a constant operand in one layout for this epoch: made on first use,
         * reused until the epoch changes; the buffer of an older epoch is refilled.
         */
        double[] constant(double[] source, int layout, long epoch, int length, Packing packing) {
            Constant reuse = null;
            for (int i = 0; i < constants.size(); i++) {
                Constant k = constants.get(i);
                if (k.source == source && k.layout == layout && k.length == length) {
                    if (k.epoch == epoch) {
                        return k.buffer;
                    }
                    reuse = k;
                    break;
                }
                if (reuse == null && k.epoch != epoch && k.buffer.length >= length) {
                    reuse = k;
                }
            }
            if (reuse == null) {
                reuse = new Constant(new double[length]);
                constants.add(reuse);
            }
            reuse.source = source;
            reuse.layout = layout;
            reuse.epoch = epoch;
            reuse.length = length;
            packing.into(reuse.buffer);
            return reuse.buffer;
        }
    }

    /** A packed constant operand and the epoch it is valid in. */
    private static final class Constant {
        final double[] buffer;
        Object source;
        /** How it is packed: Y panels (0, 1) or X micro-tiles (2, 3), of b or b^T. */
        int layout;
        long epoch;
        int length;

        Constant(double[] buffer) {
            this.buffer = buffer;
        }
    }
}
