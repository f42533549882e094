package dev.unroll.train.parallel;

import dev.unroll.autograd.DType;
import dev.unroll.nn.Module;
import dev.unroll.nn.Parameter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A copy of a module's parameter values by name, in the module's order: what a replica is set
 * from before each step, on a thread or, serialized, on a cluster's worker. Float32 values are
 * kept as floats.
 */
public final class ParameterValues implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The parameters' dotted names, in the module's order. */
    private final List<String> names;
    /** Each parameter's values, row-major: a {@code double[]}, or a {@code float[]} for float32. */
    private final List<Object> values;

    private ParameterValues(List<String> names, List<Object> values) {
        this.names = names;
        this.values = values;
    }

    /**
     * @param module the module
     * @return a copy of its (distinct) parameters' values
     */
    public static ParameterValues of(Module module) {
        List<String> names = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : module.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            names.add(e.getKey());
            values.add(p.isF32() ? p.dataF32().clone() : p.data().clone());
        }
        return new ParameterValues(List.copyOf(names), List.copyOf(values));
    }

    /**
     * Sets a replica's parameters to these values.
     *
     * @param replica a module of the same structure and precision
     * @throws IllegalArgumentException naming the first parameter that does not match
     */
    public void copyInto(Module replica) {
        Map<String, Parameter> params = replica.namedParameters();
        if (!params.keySet().equals(new java.util.LinkedHashSet<>(names))) {
            throw new IllegalArgumentException("ParameterValues: the replica's parameters " + params.keySet()
                    + " are not the model's " + names + "; build replicas with the model's own factory");
        }
        for (int i = 0; i < names.size(); i++) {
            Parameter p = params.get(names.get(i));
            Object v = values.get(i);
            boolean f32 = v instanceof float[];
            int length = f32 ? ((float[]) v).length : ((double[]) v).length;
            if (p.size() != length || p.isF32() != f32) {
                throw new IllegalArgumentException("ParameterValues: replica parameter '" + names.get(i) + "' is "
                        + p.dtype() + " " + p.shape() + " but the model's holds " + length + " "
                        + (f32 ? DType.F32 : DType.F64) + " values; convert both with to(dtype) alike");
            }
            if (f32) {
                System.arraycopy(v, 0, p.dataF32(), 0, length);
            } else {
                System.arraycopy(v, 0, p.data(), 0, length);
            }
        }
    }
}
