/**
 * Guide: training loops and memory. What a {@link dev.unroll.autograd.Tape} keeps, for how long,
 * and the two loops that follow from it ({@link dev.unroll.guide.memory.TrainingLoops}); the
 * storage rules themselves are {@link dev.unroll.autograd.Storage}'s.
 *
 * <h2>Recording, one thread, one backward</h2>
 *
 * Ops record only while a tape is open on the current thread ({@code try (Tape tape =
 * Tape.record()) { ... }}); outside any tape, and inside {@link dev.unroll.autograd.Tape#pause()},
 * they only compute values. A tape belongs to the thread that opened it, and a parameter can be
 * recorded by one thread's tape at a time (a second thread's tape throws, naming the fix): to
 * train on several threads, give each its own model replica and its own tape. A tape runs one
 * {@link dev.unroll.autograd.Tape#backward(dev.unroll.autograd.Tensor) backward} per recording;
 * then it is either closed or cleared before the next iteration records. Change parameters (the
 * optimizer's step) after backward and before the next recording: backward reads the values the
 * ops used.
 *
 * <h2>Close or clear</h2>
 *
 * <ul>
 *   <li>{@link dev.unroll.autograd.Tape#close() close()} ends the recording and recycles nothing:
 *       every value stays readable after the {@code try} block. The free gradient arrays of the
 *       closed tape go to the next tape the thread opens, so even a tape per iteration reuses
 *       the previous iteration's gradient buffers.</li>
 *   <li>{@link dev.unroll.autograd.Tape#clear() clear()} forgets the recorded ops and hands the
 *       storage of every value they produced, and of every array an op kept for its backward
 *       step ({@link dev.unroll.autograd.Storage#scratch(int)}), to the next iteration's ops. A
 *       loop that records the same graph on one cleared tape therefore allocates almost nothing
 *       after its first iteration. Reading a value recorded before the clear throws an
 *       {@link java.lang.IllegalStateException} that names the fix; so does using it as the
 *       input of a newly recorded op.</li>
 * </ul>
 *
 * <h2>What lives how long</h2>
 *
 * <ul>
 *   <li>A leaf that requires a gradient (a {@link dev.unroll.nn.Parameter}) keeps its gradient
 *       across backward passes, adding each pass into it, until
 *       {@link dev.unroll.autograd.Tensor#zeroGrad() zeroGrad()} (the buffer is kept) or
 *       {@link dev.unroll.autograd.Tensor#clearGrad() clearGrad()} (the buffer is dropped);
 *       {@link dev.unroll.nn.Module#zeroGrad()} zeroes a whole model.</li>
 *   <li>An intermediate's gradient lives from the first backward step that adds into it until its
 *       own step has run, then serves the next gradient of the same length, unless
 *       {@link dev.unroll.autograd.Tensor#retainGrad()} keeps it (to read dLoss/dh at every
 *       timestep).</li>
 *   <li>{@link dev.unroll.autograd.Tensor#detach()} returns a leaf over the same values and pins
 *       them: a cleared tape never recycles them. It is how a value is carried into the next
 *       iteration, as truncated BPTT carries its hidden state
 *       ({@link dev.unroll.rnn.tbptt.TruncatedBptt}); {@link dev.unroll.autograd.Tensor#copy()}
 *       keeps an independent copy.</li>
 *   <li>Outside any tape, values are plain new arrays, collected as usual.</li>
 * </ul>
 *
 * <h2>The two loops</h2>
 *
 * A tape per iteration, the simplest:
 *
 * <pre>{@code
 * for (int i = 0; i < iterations; i++) {
 *     model.zeroGrad();
 *     try (Tape tape = Tape.record()) {
 *         Tensor loss = model.loss(inputs, targets, null, Reduction.MEAN).loss();
 *         tape.backward(loss);
 *         last = loss.item();
 *     }   // close(): the values stay readable; the free gradient arrays go to the next tape
 *     optimizer.step();   // parameters change after backward, before the next recording
 * }
 * }</pre>
 *
 * One tape cleared after every iteration, which recycles values too (bench measured a 2-layer
 * LSTM of 256 at 0.5 MB allocated per iteration this way, against 201 MB with a tape per
 * iteration):
 *
 * <pre>{@code
 * try (Tape tape = Tape.record()) {
 *     for (int i = 0; i < iterations; i++) {
 *         model.zeroGrad();
 *         Tensor loss = model.loss(inputs, targets, null, Reduction.MEAN).loss();
 *         tape.backward(loss);
 *         last = loss.item();   // read what you need before clear(); detach() what you carry over
 *         tape.clear();         // recycles this iteration's storage for the next one
 *         optimizer.step();
 *     }
 * }
 * }</pre>
 *
 * Both compute the same numbers; the guide's tests check that, and that a value read after
 * {@code clear()} throws while a detached one does not.
 *
 * <h2>Hunting a NaN</h2>
 *
 * {@link dev.unroll.autograd.Tape#recordChecked()} opens a tape that checks every recorded op's
 * output and every gradient of backward, and throws a
 * {@link dev.unroll.autograd.NonFiniteException} naming the first op that produced a NaN or an
 * infinity.
 */
package dev.unroll.guide.memory;
