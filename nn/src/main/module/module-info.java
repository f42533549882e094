/**
 * Unroll's neural-network modules: {@link dev.unroll.nn.Module} and {@link dev.unroll.nn.Parameter},
 * layers, initializers, losses, optimizers, gradient clipping and safetensors checkpoints.
 * EJML's dense operations ({@code ejml.ddense}, an automatic module named after its jar) serve
 * the orthogonal initializer.
 */
@SuppressWarnings("requires-automatic")
module dev.unroll.nn {
    requires transitive dev.unroll.autograd;
    requires ejml.ddense;
    requires com.fasterxml.jackson.core;

    exports dev.unroll.nn;
    exports dev.unroll.nn.checkpoint;
    exports dev.unroll.nn.clip;
    exports dev.unroll.nn.init;
    exports dev.unroll.nn.layers;
    exports dev.unroll.nn.loss;
    exports dev.unroll.nn.optim;
}
