/**
 * Turning text and token lists into batches: {@link dev.unroll.rnn.data.PaddedBatch} pads token
 * sequences of different lengths into {@code tokens[t][b]} with their lengths and the
 * {@link dev.unroll.rnn.loss.StepMask} the sequence losses take (PyTorch's {@code pad_sequence});
 * {@link dev.unroll.rnn.data.LengthBuckets} groups sequences of similar length, seeded, so the
 * padding wastes little; {@link dev.unroll.rnn.data.WordVocabulary} maps words to ids with a
 * frequency cutoff and {@code <pad>}, {@code <unk>}, {@code <bos>}, {@code <eos>}, split by a
 * {@link dev.unroll.rnn.data.WordTokenizer}, and is stored in a checkpoint's metadata.
 */
package dev.unroll.rnn.data;
