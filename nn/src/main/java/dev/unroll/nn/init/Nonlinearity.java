package dev.unroll.nn.init;

/**
 * The activation a weight feeds, which sets the recommended initialisation gain (as
 * {@code torch.nn.init.calculate_gain}).
 */
public enum Nonlinearity {
    /** Identity; gain 1. */
    LINEAR(1.0),
    /** Logistic sigmoid; gain 1. */
    SIGMOID(1.0),
    /** Hyperbolic tangent; gain 5/3. */
    TANH(5.0 / 3.0),
    /** Rectified linear unit; gain sqrt(2). */
    RELU(Math.sqrt(2.0));

    private final double gain;

    Nonlinearity(double gain) {
        this.gain = gain;
    }

    /** @return the recommended gain for this nonlinearity */
    public double gain() {
        return gain;
    }
}
