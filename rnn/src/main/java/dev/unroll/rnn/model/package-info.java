/** Ready-made recurrent models: next-token language models (min-char-rnn, char-rnn). */
package dev.unroll.rnn.model;
