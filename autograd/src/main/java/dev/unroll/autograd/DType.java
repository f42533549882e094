package dev.unroll.autograd;

import java.util.Locale;

/**
 * The precision of a tensor's elements, as PyTorch's {@code dtype}: {@link #F64} (double, the
 * default, what gradient checks use) or {@link #F32} (float, half the memory and twice the
 * arithmetic per vector instruction). Every op works in both; an op's inputs must share one.
 */
public enum DType {
    /** 64-bit IEEE 754 elements, stored in an EJML {@code DMatrixRMaj}. */
    F64("float64"),
    /** 32-bit IEEE 754 elements, stored in an EJML {@code FMatrixRMaj}. */
    F32("float32");

    private final String label;

    DType(String label) {
        this.label = label;
    }

    /** @return PyTorch's name of the precision, {@code float64} or {@code float32} */
    public String label() {
        return label;
    }

    /**
     * Parses a precision by PyTorch's name or this enum's: {@code float64}, {@code f64},
     * {@code double}, {@code float32}, {@code f32}, {@code float}.
     *
     * @param name the name, in any case
     * @return the precision
     * @throws IllegalArgumentException naming the accepted names
     */
    public static DType parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "float64": case "f64": case "double":
                return F64;
            case "float32": case "f32": case "float":
                return F32;
            default:
                throw new IllegalArgumentException("unknown precision '" + name + "'; use float64 or float32");
        }
    }

    /**
     * The precision two inputs of an op share.
     *
     * @param op the op's name, for the message
     * @param a the first input
     * @param b the second input
     * @return their common precision
     * @throws IllegalArgumentException naming both when they differ
     */
    public static DType common(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw mixed(op, a, b);
        }
        return a.dtype();
    }

    /**
     * The exception for an op over tensors of two precisions.
     *
     * @param op the op's name
     * @param a one input
     * @param b an input of the other precision
     * @return an exception naming both and the fix
     */
    public static IllegalArgumentException mixed(String op, Tensor a, Tensor b) {
        return new IllegalArgumentException(op + ": a " + a.dtype().label + " " + a.shape() + " and a "
                + b.dtype().label + " " + b.shape() + " tensor: an op's inputs must share one precision; convert one "
                + "with tensor.to(DType." + a.dtype().name() + ") or the model with model.to(DType." + a.dtype().name() + ")");
    }

    @Override
    public String toString() {
        return label;
    }
}
