package dev.unroll.autograd;

/**
 * Thrown by a tape in checking mode ({@link Tape#recordChecked()}) at the first NaN or infinity,
 * naming the op that produced it and the op's position on the tape.
 */
public final class NonFiniteException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The name of the op that produced the value. */
    private final String op;
    /** The op's position on the tape. */
    private final int position;

    NonFiniteException(String op, int position, String what, int row, int col, double value) {
        super("op '" + op + "' at tape position " + position + " produced " + value + " in its " + what
                + " at (" + row + ", " + col + "); check that op's inputs (e.g. log of 0, overflow in exp, "
                + "a learning rate too large)");
        this.op = op;
        this.position = position;
    }

    /** @return the name of the op that produced the non-finite value */
    public String op() {
        return op;
    }

    /** @return the op's position on the tape, counting from 0 in recording order */
    public int position() {
        return position;
    }
}
