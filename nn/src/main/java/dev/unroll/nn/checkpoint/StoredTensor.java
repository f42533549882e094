package dev.unroll.nn.checkpoint;

import java.util.Arrays;

/**
 * One tensor of a safetensors file: its shape as stored (e.g. {@code [256]} for a bias,
 * {@code [1024, 256]} for a weight) and its values in row-major order, as doubles.
 *
 * @param shape the dimensions, outermost first
 * @param values the elements, row-major; as many as the product of the shape
 */
public record StoredTensor(long[] shape, double[] values) {

    /**
     * Checks that the values fill the shape.
     *
     * @param shape the dimensions
     * @param values the elements
     */
    public StoredTensor {
        if (elements(shape) != values.length) {
            throw new IllegalArgumentException("StoredTensor: shape " + Arrays.toString(shape) + " holds "
                    + elements(shape) + " values but " + values.length + " were given");
        }
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
