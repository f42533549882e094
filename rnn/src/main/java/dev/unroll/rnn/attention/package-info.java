/**
 * Attention over a set of vectors (the encoder's outputs, the cells of an image's grid):
 * {@link dev.unroll.rnn.attention.Attention} scores each vector against a query (additive, dot or
 * scaled dot product), normalizes the scores with a softmax that masks padded positions, and
 * returns the weighted sum with the weights, which can be printed as an attention map;
 * {@link dev.unroll.rnn.attention.AttentionDecoder} is a recurrent decoder that attends at every
 * step, trained with teacher forcing or scheduled sampling and decoded greedily, by sampling or by
 * beam search ({@link dev.unroll.rnn.decode}). The fused ops are in
 * {@link dev.unroll.rnn.attention.AttentionOps}.
 */
package dev.unroll.rnn.attention;
