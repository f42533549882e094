/**
 * Unroll's recurrent networks: cells ({@link dev.unroll.rnn.RecurrentCell} and the built-in RNN,
 * LSTM and GRU), stacked layers, sequence losses, truncated BPTT, sampling, beam search, scheduled
 * sampling, padded batches, word vocabularies, encoder-decoder and attention.
 */
module dev.unroll.rnn {
    requires transitive dev.unroll.nn;

    exports dev.unroll.rnn;
    exports dev.unroll.rnn.attention;
    exports dev.unroll.rnn.cell;
    exports dev.unroll.rnn.condition;
    exports dev.unroll.rnn.data;
    exports dev.unroll.rnn.decode;
    exports dev.unroll.rnn.layer;
    exports dev.unroll.rnn.loss;
    exports dev.unroll.rnn.model;
    exports dev.unroll.rnn.sample;
    exports dev.unroll.rnn.seq2seq;
    exports dev.unroll.rnn.tbptt;
}
