package dev.unroll.autograd;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/** Conversion between float64 and float32 tensors, recorded so gradients flow back through it. */
final class Conversions {

    private Conversions() {
    }

    static FMatrixRMaj toF32(DMatrixRMaj m) {
        FMatrixRMaj out = new FMatrixRMaj(m.numRows, m.numCols);
        copy(m.data, out.data);
        return out;
    }

    static DMatrixRMaj toF64(FMatrixRMaj m) {
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, m.numCols);
        copy(m.data, out.data);
        return out;
    }

    /**
     * {@code x} in precision {@code dtype}. Forward rounds to nearest (float64 to float32) or is
     * exact (float32 to float64); backward converts the gradient the other way.
     */
    static Tensor to(Tensor x, DType dtype) {
        if (x.dtype() == dtype) {
            return x;
        }
        Tensor out = Tensor.empty(dtype, x.rows(), x.cols());
        if (dtype == DType.F32) {
            copy(x.data(), out.dataF32());
            return Tape.record("to(float32)", out, x, () -> add(out.gradDataF32(), x.gradData()));
        }
        copy(x.dataF32(), out.data());
        return Tape.record("to(float64)", out, x, () -> add(out.gradData(), x.gradDataF32()));
    }

    /** @return {@code values} rounded to floats, or {@code null} for {@code null} (absent class weights) */
    static float[] toFloats(double[] values) {
        if (values == null) {
            return null;
        }
        float[] out = new float[values.length];
        copy(values, out);
        return out;
    }

    private static void copy(double[] from, float[] to) {
        for (int i = 0; i < from.length; i++) {
            to[i] = (float) from[i];
        }
    }

    private static void copy(float[] from, double[] to) {
        for (int i = 0; i < from.length; i++) {
            to[i] = from[i];
        }
    }

    private static void add(float[] g, double[] into) {
        for (int i = 0; i < g.length; i++) {
            into[i] += g[i];
        }
    }

    private static void add(double[] g, float[] into) {
        for (int i = 0; i < g.length; i++) {
            into[i] += (float) g[i];
        }
    }
}
