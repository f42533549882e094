/**
 * Losses as objects, over the fused loss ops of {@link dev.unroll.autograd.LossOps}:
 * {@link dev.unroll.nn.loss.CrossEntropyLoss} (softmax and negative log-likelihood in one op, with
 * an ignored index and class weights), {@link dev.unroll.nn.loss.NllLoss},
 * {@link dev.unroll.nn.loss.MseLoss} and {@link dev.unroll.nn.loss.BceWithLogitsLoss}, each with a
 * {@link dev.unroll.autograd.Reduction}. Losses over sequences (masks, last step) are in
 * {@code dev.unroll.rnn.loss}.
 */
package dev.unroll.nn.loss;
