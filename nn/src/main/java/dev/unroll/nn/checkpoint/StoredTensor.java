package dev.unroll.nn.checkpoint;

import java.util.Arrays;

/**
 * One tensor of a safetensors file: its shape as stored (e.g. {@code [256]} for a bias,
 * {@code [1024, 256]} for a weight) and its values in row-major order, as doubles (written as F64)
 * or as floats (written as F32, for a float32 model).
 *
 * @param shape the dimensions, outermost first
 * @param values the elements as doubles, row-major, or {@code null} when they are floats
 * @param floats the elements as floats, row-major, or {@code null} when they are doubles
 */
public record StoredTensor(long[] shape, double[] values, float[] floats) {

    /**
     * Checks that exactly one array is given and that it fills the shape.
     *
     * @param shape the dimensions
     * @param values the elements as doubles, or {@code null}
     * @param floats the elements as floats, or {@code null}
     */
    public StoredTensor {
        if ((values == null) == (floats == null)) {
            throw new IllegalArgumentException("StoredTensor: give the elements either as doubles or as floats");
        }
        int length = values != null ? values.length : floats.length;
        if (elements(shape) != length) {
            throw new IllegalArgumentException("StoredTensor: shape " + Arrays.toString(shape) + " holds "
                    + elements(shape) + " values but " + length + " were given");
        }
    }

    /**
     * A tensor of doubles, stored as F64.
     *
     * @param shape the dimensions
     * @param values the elements, row-major
     */
    public StoredTensor(long[] shape, double[] values) {
        this(shape, values, null);
    }

    /**
     * A tensor of floats, stored as F32.
     *
     * @param shape the dimensions
     * @param floats the elements, row-major
     */
    public StoredTensor(long[] shape, float[] floats) {
        this(shape, null, floats);
    }

    /** @return whether the elements are floats (stored as F32) */
    public boolean isFloat32() {
        return floats != null;
    }

    /** @return the number of elements */
    public int count() {
        return values != null ? values.length : floats.length;
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("StoredTensor: negative dimension in shape " + Arrays.toString(shape));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("StoredTensor: shape " + Arrays.toString(shape)
                        + " holds more than 2^63 values");
            }
        }
        return n;
    }

    /** @return the shape as text, e.g. {@code [1024, 256]} */
    public String shapeText() {
        return Arrays.toString(shape);
    }
}
