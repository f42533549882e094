/**
 * Weight initializers, each drawing from a seed or a {@link java.util.random.RandomGenerator} so
 * the same seed gives the same bits: uniform and normal, Xavier/Glorot and Kaiming/He (with the
 * gain of a {@link dev.unroll.nn.init.Nonlinearity} and the {@link dev.unroll.nn.init.Fan} to
 * preserve), orthogonal, zeros and constants. Start with {@link dev.unroll.nn.init.Init}; the layers
 * already initialize themselves as PyTorch does, so these are for custom modules and experiments.
 */
package dev.unroll.nn.init;
