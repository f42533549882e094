package dev.unroll.autograd.internal;

/**
 * Activations one value at a time with {@link Math}: exact to the last bit of {@code Math.tanh}
 * and the fallback when the Vector API is not available. {@code Math.tanh} costs about 100 ns on
 * Java 17 (a native call), which is why {@link VectorActivations} exists. Internal.
 */
final class ScalarActivations implements ActivationKernel {

    static final ScalarActivations INSTANCE = new ScalarActivations();

    private ScalarActivations() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void tanh(double[] src, int srcFrom, double[] dst, int dstFrom, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstFrom + i] = Math.tanh(src[srcFrom + i]);
        }
    }

    @Override
    public void sigmoid(double[] src, int srcFrom, double[] dst, int dstFrom, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstFrom + i] = sigmoid(src[srcFrom + i]);
        }
    }

    /** The logistic function of one value, without overflow for large |v|. */
    static double sigmoid(double v) {
        if (v >= 0) {
            return 1.0 / (1.0 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1.0 + e);
    }
}
