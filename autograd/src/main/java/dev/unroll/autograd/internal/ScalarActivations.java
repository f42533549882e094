package dev.unroll.autograd.internal;

/**
 * Activations one value at a time with {@link PortableMath} (and {@link PortableMathF32} for
 * floats): the same bits as {@link VectorActivations}, and the kernel when the Vector API is not
 * available (or {@code -Dunroll.activations=scalar} asks for it). Internal.
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
            dst[dstFrom + i] = PortableMath.tanh(src[srcFrom + i]);
        }
    }

    @Override
    public void sigmoid(double[] src, int srcFrom, double[] dst, int dstFrom, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstFrom + i] = PortableMath.sigmoid(src[srcFrom + i]);
        }
    }

    @Override
    public void tanh(float[] src, int srcFrom, float[] dst, int dstFrom, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstFrom + i] = PortableMathF32.tanh(src[srcFrom + i]);
        }
    }

    @Override
    public void sigmoid(float[] src, int srcFrom, float[] dst, int dstFrom, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstFrom + i] = PortableMathF32.sigmoid(src[srcFrom + i]);
        }
    }
}
