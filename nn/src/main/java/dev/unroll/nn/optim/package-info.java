/**
 * Optimizers and learning-rate schedules. An {@link dev.unroll.nn.optim.Optimizer} is built over a
 * module's named parameters and updates them in place from their gradients at each
 * {@link dev.unroll.nn.optim.Optimizer#step()}: {@link dev.unroll.nn.optim.Sgd} (momentum,
 * Nesterov), {@link dev.unroll.nn.optim.Adagrad}, {@link dev.unroll.nn.optim.RmsProp},
 * {@link dev.unroll.nn.optim.Adam} and {@link dev.unroll.nn.optim.AdamW}, with PyTorch's update
 * rules and defaults. Their state is allocated once, so steps allocate nothing, and it is saved
 * with a checkpoint. {@link dev.unroll.nn.optim.LearningRateSchedule} changes the rate over steps.
 */
package dev.unroll.nn.optim;
