package dev.unroll.autograd;

/**
 * The float64 forward and backward of {@link ShapeOps} (the float32 twin is derived by the
 * build): copies into a new shape, whose backward adds each gradient element back where the
 * element came from. Shapes, indices and precisions are checked by {@link ShapeOps}.
 */
final class ShapeF64 {

    private ShapeF64() {
    }

    static Tensor concatCols(Tensor[] parts, int rows, int cols) {
        Tensor out = Tensor.empty(DType.F64, rows, cols);
        double[] o = out.data();
        int offset = 0;
        for (Tensor p : parts) {
            int pc = p.cols();
            double[] pv = p.data();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(pv, r * pc, o, r * cols + offset, pc);
            }
            offset += pc;
        }
        return Tape.record("concatCols", out, java.util.Arrays.asList(parts), () -> {
            double[] g = out.gradData();
            int start = 0;
            for (Tensor p : parts) {
                int pc = p.cols();
                if (p.requiresGrad()) {
                    double[] gp = p.gradData();
                    for (int r = 0; r < rows; r++) {
                        for (int c = 0; c < pc; c++) {
                            gp[r * pc + c] += g[r * cols + start + c];
                        }
                    }
                }
                start += pc;
            }
        });
    }

    static Tensor concatRows(Tensor[] parts, int rows, int cols) {
        Tensor out = Tensor.empty(DType.F64, rows, cols);
        double[] o = out.data();
        int offset = 0;
        for (Tensor p : parts) {
            System.arraycopy(p.data(), 0, o, offset, p.size());
            offset += p.size();
        }
        return Tape.record("concatRows", out, java.util.Arrays.asList(parts), () -> {
            double[] g = out.gradData();
            int start = 0;
            for (Tensor p : parts) {
                if (p.requiresGrad()) {
                    double[] gp = p.gradData();
                    for (int i = 0; i < gp.length; i++) {
                        gp[i] += g[start + i];
                    }
                }
                start += p.size();
            }
        });
    }

    static Tensor sliceCols(Tensor x, int from, int to) {
        int rows = x.rows();
        int cols = x.cols();
        int width = to - from;
        Tensor out = Tensor.empty(DType.F64, rows, width);
        double[] xv = x.data();
        double[] o = out.data();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(xv, r * cols + from, o, r * width, width);
        }
        return Tape.record("sliceCols", out, x, () -> {
            double[] g = out.gradData();
            double[] gx = x.gradData();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < width; c++) {
                    gx[r * cols + from + c] += g[r * width + c];
                }
            }
        });
    }

    static Tensor sliceRows(Tensor x, int from, int to) {
        int cols = x.cols();
        Tensor out = Tensor.empty(DType.F64, to - from, cols);
        double[] o = out.data();
        System.arraycopy(x.data(), from * cols, o, 0, o.length);
        return Tape.record("sliceRows", out, x, () -> {
            double[] g = out.gradData();
            double[] gx = x.gradData();
            int base = from * cols;
            for (int i = 0; i < g.length; i++) {
                gx[base + i] += g[i];
            }
        });
    }

    static Tensor gatherRows(Tensor table, int[] rows, int frozenRow) {
        int cols = table.cols();
        Tensor out = Tensor.empty(DType.F64, rows.length, cols);
        double[] tv = table.data();
        double[] o = out.data();
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(tv, rows[i] * cols, o, i * cols, cols);
        }
        return Tape.record("gatherRows", out, table, () -> {
            double[] g = out.gradData();
            double[] gt = table.gradData();
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] == frozenRow) {
                    continue;
                }
                int base = rows[i] * cols;
                for (int c = 0; c < cols; c++) {
                    gt[base + c] += g[i * cols + c];
                }
            }
        });
    }

    static Tensor selectRows(boolean[] flags, Tensor first, Tensor second) {
        int cols = first.cols();
        Tensor out = Tensor.empty(DType.F64, first.rows(), cols);
        double[] o = out.data();
        for (int r = 0; r < flags.length; r++) {
            System.arraycopy((flags[r] ? first : second).data(), r * cols, o, r * cols, cols);
        }
        return Tape.record("selectRows", out, first, second, () -> {
            double[] g = out.gradData();
            for (int r = 0; r < flags.length; r++) {
                Tensor source = flags[r] ? first : second;
                if (source.requiresGrad()) {
                    double[] gs = source.gradData();
                    for (int c = 0; c < cols; c++) {
                        gs[r * cols + c] += g[r * cols + c];
                    }
                }
            }
        });
    }
}
