package dev.unroll.autograd.internal;

/**
 * Elementwise tanh and logistic sigmoid over a range of an array: the transcendental functions
 * every recurrent step evaluates thousands of times. Internal.
 */
interface ActivationKernel {

    /** @return a short name for benchmark reports */
    String name();

    /** {@code dst[dstFrom + i] = tanh(src[srcFrom + i])} for i in [0, length); src and dst may be the same array. */
    void tanh(double[] src, int srcFrom, double[] dst, int dstFrom, int length);

    /** {@code dst[dstFrom + i] = 1 / (1 + e^-src[srcFrom + i])} for i in [0, length); src and dst may be the same array. */
    void sigmoid(double[] src, int srcFrom, double[] dst, int dstFrom, int length);

    /** {@code dst[dstFrom + i] = tanh(src[srcFrom + i])} over floats, in float arithmetic; src and dst may be the same array. */
    void tanh(float[] src, int srcFrom, float[] dst, int dstFrom, int length);

    /** {@code dst[dstFrom + i] = 1 / (1 + e^-src[srcFrom + i])} over floats, in float arithmetic; src and dst may be the same array. */
    void sigmoid(float[] src, int srcFrom, float[] dst, int dstFrom, int length);
}
