package dev.unroll.nn.checkpoint;

import java.util.Arrays;

/**
 * One tensor as a safetensors header describes it, validated: its name, dtype ({@code F64} or
 * {@code F32}), shape, and where its bytes lie, relative to the end of the header.
 *
 * @param name the tensor's name
 * @param dtype {@code "F64"} or {@code "F32"}
 * @param shape the dimensions, outermost first, none negative, their product below 2^63
 * @param begin the offset of its first byte
 * @param end the offset after its last byte; {@code end - begin} is the element count times the width
 */
public record TensorEntry(String name, String dtype, long[] shape, long begin, long end) {

    /** @return the number of elements: the product of the shape */
    public long count() {
        return (end - begin) / width();
    }

    /** @return bytes per element: 8 for F64, 4 for F32 */
    public int width() {
        return dtype.equals("F64") ? 8 : 4;
    }

    /** @return the shape as text, e.g. {@code [1024, 256]} */
    public String shapeText() {
        return Arrays.toString(shape);
    }
}
