/**
 * Guide: write your own cell. A recurrent cell is one timestep, (input, previous state) to next
 * state, written with ops that record on the tape ({@link dev.unroll.rnn.RecurrentCell}); a layer
 * unrolls it over the sequence, and backpropagation through time is the tape replayed in reverse.
 *
 * <p>A cell is a {@link dev.unroll.nn.Module}: it registers its parameters in its constructor, so
 * they appear in {@link dev.unroll.nn.Module#parameters()}, are zeroed by
 * {@link dev.unroll.nn.Module#zeroGrad()}, and are saved by {@link dev.unroll.nn.checkpoint.Checkpoint}
 * under their dotted names. The built-in cells of {@link dev.unroll.rnn.cell} follow the same
 * contract and are the examples to read, {@link dev.unroll.rnn.cell.RnnCell} the shortest; an op
 * the cell needs that the engine lacks is written as the guide {@link dev.unroll.guide.op} shows.
 * The cell is then used by {@link dev.unroll.rnn.layer.RecurrentLayer} (stacking, directions,
 * lengths, initial states) and by everything built on layers.
 *
 * <p>The README's section on writing a cell walks through a complete custom cell, trained and
 * checked.
 */
package dev.unroll.guide.cell;
