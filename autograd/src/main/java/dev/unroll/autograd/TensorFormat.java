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
        if (t.isRecycled()) {
            return sb.append(", values recycled by tape.clear()").toString();
        }
        int cols = t.cols();
        int[] rowIndex = shownIndices(t.rows());
        int[] colIndex = shownIndices(cols);
        String[][] cells = new String[rowIndex.length][colIndex.length];
        int width = 1;
        for (int i = 0; i < rowIndex.length; i++) {
            for (int j = 0; j < colIndex.length; j++) {
                cells[i][j] = number(t.data()[rowIndex[i] * cols + colIndex[j]]);
                width = Math.max(width, cells[i][j].length());
            }
        }
        sb.append('\n');
        for (int i = 0; i < rowIndex.length; i++) {
            if (elidedBefore(rowIndex, i)) {
                sb.append(" ...\n");
            }
            sb.append(i == 0 ? "[[" : " [");
            for (int j = 0; j < colIndex.length; j++) {
                if (elidedBefore(colIndex, j)) {
                    sb.append(" ...");
                }
                sb.append(j == 0 ? "" : " ").append(" ".repeat(width - cells[i][j].length())).append(cells[i][j]);
            }
            sb.append(i == rowIndex.length - 1 ? "]]" : "]\n");
        }
        return sb.toString();
    }

    /** The indices shown out of {@code count}: all of them, or the first and last {@link #EDGE}. */
    private static int[] shownIndices(int count) {
        int shown = count <= MAX_SHOWN ? count : 2 * EDGE;
        int[] indices = new int[shown];
        for (int i = 0; i < shown; i++) {
            indices[i] = count <= MAX_SHOWN || i < EDGE ? i : count - 2 * EDGE + i;
        }
        return indices;
    }

    /** Whether indices were skipped between the shown index at {@code position} and the one before. */
    private static boolean elidedBefore(int[] shown, int position) {
        return position > 0 && shown[position] != shown[position - 1] + 1;
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
