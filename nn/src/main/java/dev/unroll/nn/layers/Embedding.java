package dev.unroll.nn.layers;

import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A lookup table of vectors, as PyTorch's {@code nn.Embedding}: {@code forward(ids)} returns row
 * {@code ids[i]} of {@code weight} (vocabulary x dimension) for each i, and its gradient
 * scatter-adds into the rows looked up. Initialised N(0, 1) like PyTorch. An optional padding
 * index names a row that is initialised to zeros and receives no gradient; the lookup returns
 * it as it is, inside a tape or not.
 */
public class Embedding extends Module {

    /** Pass as {@code paddingIndex} for an embedding without a padding row. */
    public static final int NO_PADDING = -1;

    private final Parameter weight;
    private final int paddingIndex;

    /**
     * An embedding without padding row, initialised from {@code seed}.
     *
     * @param vocabulary number of rows
     * @param dimension vector size
     * @param seed initialisation seed
     */
    public Embedding(int vocabulary, int dimension, long seed) {
        this(vocabulary, dimension, NO_PADDING, Randomness.seeded(seed));
    }

    /**
     * An embedding with an optional padding row.
     *
     * @param vocabulary number of rows
     * @param dimension vector size
     * @param paddingIndex the row kept at zero with no gradient, or {@link #NO_PADDING}
     * @param rng the initialisation generator
     */
    public Embedding(int vocabulary, int dimension, int paddingIndex, RandomGenerator rng) {
        if (vocabulary <= 0 || dimension <= 0) {
            throw new IllegalArgumentException("Embedding: vocabulary " + vocabulary + " and dimension " + dimension
                    + " must both be positive");
        }
        if (paddingIndex != NO_PADDING && (paddingIndex < 0 || paddingIndex >= vocabulary)) {
            throw new IllegalArgumentException("Embedding: padding index " + paddingIndex + " is outside [0, "
                    + vocabulary + ")");
        }
        Tensor init = Tensor.normal(vocabulary, dimension, 0, 1, rng);
        if (paddingIndex != NO_PADDING) {
            Arrays.fill(init.data(), paddingIndex * dimension, (paddingIndex + 1) * dimension, 0.0);
        }
        this.weight = registerParameter("weight", Parameter.of(init));
        this.paddingIndex = paddingIndex;
    }

    /**
     * Looks up one vector per id. As in PyTorch, the padding row is returned as it is (zero
     * unless it was changed, e.g. by loading weights) in training and evaluation alike, and
     * receives no gradient.
     *
     * @param ids row indices in [0, vocabulary)
     * @return ids.length x dimension
     * @throws IllegalArgumentException naming the vocabulary, if an id is outside it
     */
    public Tensor forward(int[] ids) {
        checkIds(ids);
        return ShapeOps.gatherRows(weight, ids, paddingIndex);
    }

    /**
     * Refuses ids outside the vocabulary, as {@link #forward} does, for a caller that reads the
     * table itself (a recurrent layer that projects the table instead of the looked-up rows).
     *
     * @param ids row indices
     * @throws IllegalArgumentException naming the vocabulary, if an id is outside it
     */
    public void checkIds(int[] ids) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= weight.rows()) {
                throw new IllegalArgumentException("Embedding: token id " + ids[i] + " at position " + i
                        + " is outside the vocabulary of " + weight.rows() + " tokens (ids 0 to " + (weight.rows() - 1)
                        + "); check how the ids were made, or build the embedding with a larger vocabulary");
            }
        }
    }

    /** @return the padding row's index, or {@link #NO_PADDING} */
    public int paddingIndex() {
        return paddingIndex;
    }

    /** @return the table, vocabulary x dimension */
    public Parameter weight() {
        return weight;
    }

    @Override
    protected String describeSelf() {
        return "(" + weight.rows() + " x " + weight.cols() + ")";
    }
}
