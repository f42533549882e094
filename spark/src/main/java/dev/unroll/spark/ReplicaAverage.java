package dev.unroll.spark;

import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.optim.Optimizer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters and optimizer state of one replica after its local steps, or of several summed
 * left to right ({@link #add}), with their summed loss and item count; the driver sets its model
 * and optimizer to the mean. Float32 parameters are summed as floats.
 */
final class ReplicaAverage implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<Object> values;
    private final OptimizerValues optimizer;
    private double lossSum;
    private double count;
    private int replicas = 1;

    private ReplicaAverage(List<Object> values, OptimizerValues optimizer, double lossSum, double count) {
        this.values = values;
        this.optimizer = optimizer;
        this.lossSum = lossSum;
        this.count = count;
    }

    /**
     * @param replica a replica after its local steps
     * @param optimizer its optimizer
     * @param lossSum the summed loss of all its local steps
     * @param count the items summed over
     * @return a copy of its parameters and optimizer state
     */
    static ReplicaAverage of(Module replica, Optimizer optimizer, double lossSum, double count) {
        List<Object> values = new ArrayList<>();
        for (Parameter p : replica.namedParameters().values()) {
            values.add(p.isF32() ? p.dataF32().clone() : p.data().clone());
        }
        return new ReplicaAverage(values, OptimizerValues.of(optimizer), lossSum, count);
    }

    /**
     * Adds another replica's parameters, optimizer state, loss and count into this one.
     *
     * @param other a replica of the same model
     * @return this
     */
    ReplicaAverage add(ReplicaAverage other) {
        for (int i = 0; i < values.size(); i++) {
            Object mine = values.get(i);
            Object theirs = other.values.get(i);
            if (mine instanceof float[] m && theirs instanceof float[] t) {
                for (int k = 0; k < m.length; k++) {
                    m[k] += t[k];
                }
            } else {
                double[] m = (double[]) mine;
                double[] t = (double[]) theirs;
                for (int k = 0; k < m.length; k++) {
                    m[k] += t[k];
                }
            }
        }
        optimizer.add(other.optimizer);
        lossSum += other.lossSum;
        count += other.count;
        replicas += other.replicas;
        return this;
    }

    /** @return the mean loss over every replica's local steps and items */
    double meanLoss() {
        return lossSum / count;
    }

    /**
     * Loads the mean optimizer state into the driver's optimizer (which validates it first), then
     * sets the model's parameters to the mean of the replicas'.
     *
     * @param model the driver's model
     * @param driverOptimizer the driver's optimizer over it
     */
    void copyMeanInto(Module model, Optimizer driverOptimizer) {
        driverOptimizer.loadState(optimizer.toState());
        List<Parameter> params = new ArrayList<>(model.namedParameters().values());
        for (int i = 0; i < params.size(); i++) {
            Object sum = values.get(i);
            if (sum instanceof float[] f) {
                float[] into = params.get(i).dataF32();
                for (int k = 0; k < f.length; k++) {
                    into[k] = f[k] / replicas;
                }
            } else {
                double[] d = (double[]) sum;
                double[] into = params.get(i).data();
                for (int k = 0; k < d.length; k++) {
                    into[k] = d[k] / replicas;
                }
            }
        }
    }
}
