package dev.unroll.train.parallel;

import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The gradients of one shard, or of several summed, with their summed loss and item count, in
 * the module's parameter order. Sums are taken left to right ({@link #add}), so combining shards
 * 0, 1, ..., N-1 in that order gives the same bits however the shards were scheduled.
 * Serializable, so a cluster engine can return it from its workers.
 */
public final class ShardGradients implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Each parameter's gradient sum, row-major: a {@code double[]}, or a {@code float[]} for
     * float32, or {@code null} while no shard's backward pass reached the parameter.
     */
    private final List<Object> gradients;
    /** The summed loss of the shards added so far. */
    private double lossSum;
    /** The items of the shards added so far. */
    private double count;

    private ShardGradients(List<Object> gradients, double lossSum, double count) {
        this.gradients = gradients;
        this.lossSum = lossSum;
        this.count = count;
    }

    /**
     * Copies a replica's gradients after its backward pass (none for a parameter the loss did
     * not reach, so the model's optimizer leaves it alone if no shard reaches it).
     *
     * @param replica the replica
     * @param lossSum its shard's summed loss
     * @param count the items of its shard
     * @return the shard's gradients
     */
    public static ShardGradients of(Module replica, double lossSum, double count) {
        List<Object> gradients = new ArrayList<>();
        for (Parameter p : replica.namedParameters().values()) {
            if (!p.hasGrad()) {
                gradients.add(null);
            } else {
                gradients.add(p.isF32() ? p.gradMatrixF32().data.clone() : p.gradMatrix().data.clone());
            }
        }
        return new ShardGradients(gradients, lossSum, count);
    }

    /**
     * Adds another shard's gradients, loss and count into this one (this + other, elementwise).
     *
     * @param other gradients of a module of the same structure
     * @return this
     */
    public ShardGradients add(ShardGradients other) {
        if (other.gradients.size() != gradients.size()) {
            throw new IllegalArgumentException("ShardGradients: " + other.gradients.size() + " gradients added to "
                    + gradients.size() + "; both must come from replicas of one model");
        }
        for (int i = 0; i < gradients.size(); i++) {
            Object mine = gradients.get(i);
            Object theirs = other.gradients.get(i);
            if (theirs == null) {
                continue;
            }
            if (mine == null) {
                gradients.set(i, theirs instanceof float[] t ? t.clone() : ((double[]) theirs).clone());
            } else if (mine instanceof float[] m && theirs instanceof float[] t && m.length == t.length) {
                for (int k = 0; k < m.length; k++) {
                    m[k] += t[k];
                }
            } else if (mine instanceof double[] m && theirs instanceof double[] t && m.length == t.length) {
                for (int k = 0; k < m.length; k++) {
                    m[k] += t[k];
                }
            } else {
                throw new IllegalArgumentException("ShardGradients: gradient " + i + " differs in size or precision "
                        + "between the shards; build every replica alike");
            }
        }
        lossSum += other.lossSum;
        count += other.count;
        return this;
    }

    /** @return the summed loss divided by the summed count: the mean loss over every shard's items */
    public double meanLoss() {
        return lossSum / count;
    }

    /** @return the number of items summed over */
    public double count() {
        return count;
    }

    /**
     * Adds the mean gradient (the sum divided by the count) into a model's gradients, as one
     * backward pass of the mean loss over the whole batch would; a parameter no shard reached
     * gets no gradient.
     *
     * @param model the model the replicas copy
     */
    public void addMeanTo(Module model) {
        List<Parameter> params = new ArrayList<>(model.namedParameters().values());
        if (params.size() != gradients.size()) {
            throw new IllegalArgumentException("ShardGradients: " + gradients.size() + " gradients for a model of "
                    + params.size() + " parameters");
        }
        double scale = 1 / count;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Object g = gradients.get(i);
            if (g == null) {
                continue;
            }
            if (g instanceof float[] f && p.isF32() && f.length == p.size()) {
                float[] into = p.gradDataF32();
                float s = (float) scale;
                for (int k = 0; k < f.length; k++) {
                    into[k] += f[k] * s;
                }
            } else if (g instanceof double[] d && !p.isF32() && d.length == p.size()) {
                double[] into = p.gradData();
                for (int k = 0; k < d.length; k++) {
                    into[k] += d[k] * scale;
                }
            } else {
                throw new IllegalArgumentException("ShardGradients: gradient " + i + " does not fit the model's "
                        + p.dtype() + " " + p.shape() + " parameter");
            }
        }
    }
}
