package dev.unroll.autograd;

import java.util.Locale;

/** Renders a tensor as readable text for JShell: shape, gradient flag and aligned values. */
final class TensorFormat {

    /** Rows or columns beyond this many are elided, keeping the first and last {@link #EDGE}. */
    private static final int MAX_SHOWN = 8;
    private static final int EDGE = 3;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("Tensor ").append(t.shape());
        if (t.requiresGrad()) {
            sb.append(t.isLeaf() ? " (requires grad)" : " (recorded)");
        }
        int rows = t.rows();
        int cols = t.cols();
        String[][] cells = new String[rows][cols];
        int width = 1;
        for (int r = 0; r < rows; r++) {
            if (!shown(r, rows)) {
                continue;
            }
            for (int c = 0; c < cols; c++) {
                if (shown(c, cols)) {
                    cells[r][c] = number(t.data()[r * cols + c]);
                    width = Math.max(width, cells[r][c].length());
                }
            }
        }
        sb.append('\n');
        for (int r = 0; r < rows; r++) {
            if (!shown(r, rows)) {
                if (r == EDGE) {
                    sb.append(" ...\n");
                }
                continue;
            }
            sb.append(r == 0 ? "[[" : " [");
            for (int c = 0; c < cols; c++) {
                if (!shown(c, cols)) {
                    if (c == EDGE) {
                        sb.append(" ...");
                    }
                    continue;
                }
                sb.append(c == 0 ? "" : " ").append(" ".repeat(width - cells[r][c].length())).append(cells[r][c]);
            }
            sb.append(r == rows - 1 ? "]]" : "]\n");
        }
        return sb.toString();
    }

    private static boolean shown(int index, int count) {
        return count <= MAX_SHOWN || index < EDGE || index >= count - EDGE;
    }

    private static String number(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v).replace(".0", "");
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-4) {
            return String.format(Locale.ROOT, "%.4e", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
