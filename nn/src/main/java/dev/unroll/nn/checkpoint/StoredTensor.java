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
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("StoredTensor: negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("StoredTensor: shape " + Arrays.toString(shape) + " holds " + n
                    + " values but " + values.length + " were given");
        }
    }

    /** @return the shape as text, e.g. {@code [1024, 256]} */
    public String shapeText() {
        return Arrays.toString(shape);
    }
}
