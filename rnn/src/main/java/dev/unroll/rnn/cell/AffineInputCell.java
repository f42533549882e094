package dev.unroll.rnn.cell;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.rnn.RecurrentCell;
import dev.unroll.rnn.StatePart;
import java.util.List;

/**
 * A cell whose input part is an affine map, x W^T + b: the split a layer uses to project the
 * inputs of all timesteps with one product (and one-hot inputs by gathering columns of W). A
 * subclass registers its input weight and bias, hands them over with {@link #projectInputWith}
 * in its constructor, and writes the recurrent rest, {@link #stepProjected}, from this timestep's
 * x W^T + b.
 */
public abstract class AffineInputCell extends RecurrentCell {

    private Parameter inputWeight;
    private Parameter inputBias;

    /**
     * @param inputSize input features
     * @param parts the state's parts; the first is the output
     */
    protected AffineInputCell(int inputSize, List<StatePart> parts) {
        super(inputSize, parts);
    }

    /**
     * Names the input map x W^T + b; a subclass calls it once, in its constructor, with
     * parameters it has registered.
     *
     * @param weight the input weight W, projection width x inputSize
     * @param bias the input bias b, 1 x projection width, or {@code null} for none
     */
    protected final void projectInputWith(Parameter weight, Parameter bias) {
        inputWeight = weight;
        inputBias = bias;
    }

    /** @return the input weight W, projection width x inputSize */
    protected final Parameter inputWeight() {
        if (inputWeight == null) {
            throw new IllegalStateException(getClass().getSimpleName() + ": no input weight; call "
                    + "projectInputWith(weight, bias) in the constructor");
        }
        return inputWeight;
    }

    /** @return the input bias b, 1 x projection width, or {@code null} for none */
    protected final Parameter inputBias() {
        return inputBias;
    }

    /**
     * The input part of a step, x W^T + b; a layer applies it to all timesteps at once.
     *
     * @param inputs batch x inputSize (or (T*batch) x inputSize)
     * @return the projection, one row per input row
     */
    @Override
    public Tensor projectInput(Tensor inputs) {
        if (inputs.cols() != inputSize()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input " + inputs.shape() + " has "
                    + inputs.cols() + " features but the cell expects " + inputSize());
        }
        return MatrixOps.linear(inputs, inputWeight(), inputBias());
    }

    /** Gathers columns of W (plus b) instead of multiplying one-hot rows. */
    @Override
    public Tensor projectOneHot(int[] tokens) {
        return MatrixOps.linearOfOneHot(tokens, inputWeight(), inputBias());
    }

    /**
     * With more tokens than table rows, projects the table rather than its looked-up rows: token
     * k's projection is row k of table W^T + b, so one product of vocabulary rows and a gather
     * replace a product of tokens.length rows, and in the backward pass the gather's scatter-add
     * sums each token's gradient rows before the (small) products. The same values up to
     * rounding; otherwise the default, lookup then project.
     */
    @Override
    public Tensor projectEmbedded(Tensor table, int[] tokens) {
        if (tokens.length <= table.rows()) {
            return super.projectEmbedded(table, tokens);
        }
        return ShapeOps.gatherRows(projectInput(table), tokens);
    }

    /**
     * Checks the sizes before a cell is built.
     *
     * @param cell the cell's class name, for the message
     * @param inputSize input features
     * @param hiddenSize hidden units
     * @return hiddenSize
     */
    static int checkSizes(String cell, int inputSize, int hiddenSize) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(cell + ": input size " + inputSize + " and hidden size " + hiddenSize
                    + " must both be positive");
        }
        return hiddenSize;
    }
}
