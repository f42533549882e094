package dev.unroll.autograd.internal;

import java.util.List;
import java.util.Locale;

/**
 * The one seam through which the library evaluates tanh and sigmoid over arrays (the tanh and
 * sigmoid ops and the fused LSTM/GRU updates). It uses the Vector API when the JVM has
 * {@code --add-modules jdk.incubator.vector} and plain Java otherwise; the system property
 * {@code unroll.activations=scalar} forces the latter. Both compute {@link PortableMath}'s bits
 * (within 2.5 ulp of the exact values; {@link PortableMathF32}'s for floats), so neither the
 * kernel chosen nor the JIT changes a result.
 * Internal: not part of the public API.
 */
public final class Activations {

    private static final ActivationKernel KERNEL = choose();

    private Activations() {
    }

    /**
     * {@code dst[dstFrom + i] = tanh(src[srcFrom + i])} for i in [0, length).
     *
     * @param src source array
     * @param srcFrom first source index
     * @param dst destination array (may be {@code src})
     * @param dstFrom first destination index
     * @param length number of values
     */
    public static void tanh(double[] src, int srcFrom, double[] dst, int dstFrom, int length) {
        KERNEL.tanh(src, srcFrom, dst, dstFrom, length);
    }

    /**
     * {@code dst[dstFrom + i] = 1 / (1 + e^-src[srcFrom + i])} for i in [0, length).
     *
     * @param src source array
     * @param srcFrom first source index
     * @param dst destination array (may be {@code src})
     * @param dstFrom first destination index
     * @param length number of values
     */
    public static void sigmoid(double[] src, int srcFrom, double[] dst, int dstFrom, int length) {
        KERNEL.sigmoid(src, srcFrom, dst, dstFrom, length);
    }

    /**
     * {@code dst[dstFrom + i] = tanh(src[srcFrom + i])} over floats, in float arithmetic
     * ({@link PortableMathF32}: within 3 float ulp, the same bits whatever the kernel).
     *
     * @param src source array
     * @param srcFrom first source index
     * @param dst destination array (may be {@code src})
     * @param dstFrom first destination index
     * @param length number of values
     */
    public static void tanh(float[] src, int srcFrom, float[] dst, int dstFrom, int length) {
        KERNEL.tanh(src, srcFrom, dst, dstFrom, length);
    }

    /**
     * {@code dst[dstFrom + i] = 1 / (1 + e^-src[srcFrom + i])} over floats, as
     * {@link #tanh(float[], int, float[], int, int)} (within 2 float ulp).
     *
     * @param src source array
     * @param srcFrom first source index
     * @param dst destination array (may be {@code src})
     * @param dstFrom first destination index
     * @param length number of values
     */
    public static void sigmoid(float[] src, int srcFrom, float[] dst, int dstFrom, int length) {
        KERNEL.sigmoid(src, srcFrom, dst, dstFrom, length);
    }

    /**
     * The logistic function of one float value, with the bits of the float array kernels.
     *
     * @param v any value
     * @return 1 / (1 + e^-v)
     */
    public static float sigmoid(float v) {
        return PortableMathF32.sigmoid(v);
    }

    /**
     * The logistic function of one value, without overflow for large |v|, with the bits of the
     * array kernels.
     *
     * @param v any value
     * @return 1 / (1 + e^-v)
     */
    public static double sigmoid(double v) {
        return PortableMath.sigmoid(v);
    }

    /** @return the kernel in use, e.g. {@code vector-api(4 lanes)}, for benchmark reports */
    public static String describe() {
        return KERNEL.name();
    }

    /** @return every activation kernel that can run here, for tests that compare them */
    static List<ActivationKernel> available() {
        ActivationKernel vector = vectorKernel();
        return vector == null ? List.of(ScalarActivations.INSTANCE) : List.of(ScalarActivations.INSTANCE, vector);
    }

    private static ActivationKernel choose() {
        String forced = System.getProperty("unroll.activations", "auto").toLowerCase(Locale.ROOT);
        ActivationKernel vector = vectorKernel();
        return vector == null || forced.equals("scalar") ? ScalarActivations.INSTANCE : vector;
    }

    private static ActivationKernel vectorKernel() {
        if (!VectorSupport.present()) {
            return null;
        }
        try {
            return VectorActivations.INSTANCE;
        } catch (LinkageError e) {
            return null;
        }
    }
}
