/** Generation from recurrent models: argmax, temperature and top-k sampling with priming. */
package dev.unroll.rnn.sample;
