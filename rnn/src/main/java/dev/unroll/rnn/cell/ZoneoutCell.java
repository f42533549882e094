package dev.unroll.rnn.cell;

import dev.unroll.autograd.ElementwiseOps;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.rnn.RecurrentCell;
import dev.unroll.rnn.State;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * Zoneout (Krueger et al. 2017) around any cell: in training each unit of each state part keeps
 * its previous value with probability p instead of taking the wrapped cell's new one, with a
 * fresh mask at every step; in evaluation ({@link Module#eval()}) each unit takes the
 * expectation, p * previous + (1 - p) * new. Parts may have their own p (the paper zones an
 * LSTM's c out more than its h).
 * <pre>
 * training:    s' = new + m * (previous - new),   m ~ Bernoulli(p) per unit and step
 * evaluation:  s' = new + p * (previous - new)
 * </pre>
 * The wrapper has the wrapped cell's parameters under the same names (so a zoneout LSTM still
 * loads a PyTorch LSTM's weights), its state parts and its input split.
 */
public class ZoneoutCell extends RecurrentCell {

    private final RecurrentCell cell;
    private final double[] probabilities;
    private final RandomGenerator rng;

    /**
     * Zoneout with one probability for every state part.
     *
     * @param cell the cell to wrap
     * @param probability p in [0, 1)
     * @param rng the generator of the masks (seed it for the same masks run after run)
     */
    public ZoneoutCell(RecurrentCell cell, double probability, RandomGenerator rng) {
        this(cell, allParts(cell, probability), rng);
    }

    /**
     * Zoneout with a probability per state part; parts not named keep p = 0 (no zoneout).
     *
     * @param cell the cell to wrap
     * @param probabilities p in [0, 1) by part name, e.g. {@code Map.of("h", 0.05, "c", 0.5)}
     * @param rng the generator of the masks
     */
    public ZoneoutCell(RecurrentCell cell, Map<String, Double> probabilities, RandomGenerator rng) {
        super(cell.inputSize(), cell.stateParts());
        this.cell = cell;
        this.rng = rng;
        this.probabilities = new double[cell.stateParts().size()];
        probabilities.forEach((part, p) -> {
            int index = cell.stateNames().indexOf(part);
            if (index < 0) {
                throw new IllegalArgumentException("ZoneoutCell: " + cell.getClass().getSimpleName() + " has no state part '"
                        + part + "'; its parts are " + cell.stateNames());
            }
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("ZoneoutCell: probability " + p + " of part " + part + " is outside [0, 1)");
            }
            this.probabilities[index] = p;
        });
        cell.flatParameters().forEach(this::registerParameter);
    }

    private static Map<String, Double> allParts(RecurrentCell cell, double probability) {
        Map<String, Double> all = new HashMap<>();
        cell.stateNames().forEach(part -> all.put(part, probability));
        return all;
    }

    @Override
    public Tensor projectInput(Tensor inputs) {
        return cell.projectInput(inputs);
    }

    @Override
    public Tensor projectOneHot(int[] tokens) {
        return cell.projectOneHot(tokens);
    }

    @Override
    public Tensor projectEmbedded(Tensor table, int[] tokens) {
        return cell.projectEmbedded(table, tokens);
    }

    @Override
    public State stepProjected(Tensor projected, State state) {
        return zoneout(state, cell.stepProjected(projected, state));
    }

    private State zoneout(State previous, State next) {
        return next.map((i, part) -> probabilities[i] == 0 ? part : keep(previous.part(i), part, probabilities[i]));
    }

    private Tensor keep(Tensor previous, Tensor next, double p) {
        Tensor difference = previous.sub(next);
        if (!isTraining()) {
            return next.add(difference.scale(p));
        }
        double[] mask = new double[next.size()];
        for (int k = 0; k < mask.length; k++) {
            mask[k] = rng.nextDouble() < p ? 1.0 : 0.0;
        }
        return next.add(ElementwiseOps.maskMul(difference, new Tensor(DMatrixRMaj.wrap(next.rows(), next.cols(), mask))));
    }

    /** Sets the mode of the wrapped cell too. */
    @Override
    public Module train(boolean on) {
        super.train(on);
        cell.train(on);
        return this;
    }

    /** @return the wrapped cell */
    public RecurrentCell cell() {
        return cell;
    }

    @Override
    protected String describeSelf() {
        return "(" + cell.getClass().getSimpleName() + " " + cell.stateNames() + ", p=" + Arrays.toString(probabilities) + ")";
    }
}
