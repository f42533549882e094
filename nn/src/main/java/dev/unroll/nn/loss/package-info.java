/**
 * Losses as objects, over the fused loss ops of {@link dev.unroll.autograd.LossOps}, named and
 * reduced as PyTorch's: {@link dev.unroll.nn.loss.CrossEntropyLoss} (softmax and negative
 * log-likelihood in one op, against class indices or probability targets, with an ignored index,
 * class weights and label smoothing), {@link dev.unroll.nn.loss.NllLoss},
 * {@link dev.unroll.nn.loss.MseLoss} and {@link dev.unroll.nn.loss.BceWithLogitsLoss} (with
 * {@code weight} and {@code pos_weight}), each with a {@link dev.unroll.autograd.Reduction}. A mean
 * over rows that are all ignored is 0 with a zero gradient, deliberately, where PyTorch's is NaN.
 * Losses over sequences (masks, last step) are in {@code dev.unroll.rnn.loss}.
 */
package dev.unroll.nn.loss;
