package dev.unroll.nn.init;

/**
 * Which fan Kaiming initialisation preserves: the variance of the forward activations (fan-in,
 * PyTorch's default) or of the backward gradients (fan-out). For a weight stored out x in,
 * fan-in is its number of columns and fan-out its number of rows.
 */
public enum Fan {
    /** Number of inputs of each unit (the weight's columns). */
    IN,
    /** Number of outputs of each input (the weight's rows). */
    OUT
}
