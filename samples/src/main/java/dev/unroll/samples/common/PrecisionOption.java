package dev.unroll.samples.common;

import dev.unroll.autograd.DType;
import picocli.CommandLine.Option;

/** The {@code --dtype} option of the programs that train in either precision. */
public final class PrecisionOption {

    @Option(names = "--dtype", defaultValue = "float64",
            description = "precision of the model and its data: float64 or float32 (default: ${DEFAULT-VALUE})")
    String dtype;

    /**
     * @return the precision asked for
     * @throws IllegalArgumentException naming the accepted values
     */
    public DType dtype() {
        try {
            return DType.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dtype: " + e.getMessage());
        }
    }
}
