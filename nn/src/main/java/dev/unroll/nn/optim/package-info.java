/**
 * Optimizers and learning-rate schedules. An {@link dev.unroll.nn.optim.Optimizer} is built from
 * its options, named as PyTorch's constructor arguments, over a module's named parameters, e.g.
 * {@code Adam.options().lr(1e-3).weightDecay(0.01).amsgrad(true).build(model)}, and updates them in
 * place from their gradients at each {@link dev.unroll.nn.optim.Optimizer#step()}:
 * {@link dev.unroll.nn.optim.Sgd} (momentum, dampening, Nesterov), {@link dev.unroll.nn.optim.Adagrad}
 * (lr_decay, initial_accumulator_value), {@link dev.unroll.nn.optim.RmsProp} (momentum, centered),
 * {@link dev.unroll.nn.optim.Adam} and {@link dev.unroll.nn.optim.AdamW} (amsgrad), each with
 * weight decay and maximize, with PyTorch's update rules and defaults.
 *
 * <p>{@link dev.unroll.nn.optim.OptimizerOptions#group} sorts parameters chosen by a
 * {@link dev.unroll.nn.optim.ParameterFilter} into {@linkplain dev.unroll.nn.optim.ParamGroup groups}
 * of their own options, e.g. {@code .group(ParameterFilter.vectors(), g -> g.weightDecay(0))} for no
 * decay on biases and normalization gains; a {@link dev.unroll.nn.optim.LearningRateSchedule} scales
 * each group's own rate. A parameter the last backward pass did not reach has no gradient and is
 * left alone by the step. The state (moments, momentum, the groups) is allocated once, so steps
 * allocate nothing, and is saved with a checkpoint ({@link dev.unroll.nn.optim.OptimizerState}).
 */
package dev.unroll.nn.optim;
