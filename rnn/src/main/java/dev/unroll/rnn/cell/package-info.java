/**
 * The built-in recurrent cells, with PyTorch's equations, parameter names and initialization:
 * {@link dev.unroll.rnn.cell.RnnCell} (tanh or ReLU), {@link dev.unroll.rnn.cell.LstmCell} (gates
 * in the order i, f, g, o) and {@link dev.unroll.rnn.cell.GruCell} (r, z, n). They share
 * PyTorch's four parameters and split a step into the input projection, which a layer computes
 * for all timesteps in one product, and the recurrent update ({@link dev.unroll.rnn.cell.GatedCell});
 * the LSTM and GRU updates are fused ops whose partial derivatives are written out in
 * {@link dev.unroll.rnn.cell.GateOps}. They are also the examples of the cell contract
 * ({@link dev.unroll.rnn.RecurrentCell}) that a custom cell follows; layers are in
 * {@link dev.unroll.rnn.layer}.
 */
package dev.unroll.rnn.cell;
