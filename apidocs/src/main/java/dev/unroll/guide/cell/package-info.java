/**
 * Guide: write your own cell. A recurrent cell is one timestep, (input, previous state) to next
 * state, written with ops that record on the tape; a layer unrolls it over the sequence, and
 * backpropagation through time is the tape replayed in reverse. A cell extends
 * {@link dev.unroll.rnn.RecurrentCell}, which is a {@link dev.unroll.nn.Module}, and provides three
 * things: its parameters, its state's parts, and its step. The example is
 * {@link dev.unroll.guide.cell.LeakyCell}, a tanh RNN whose units each learn how fast they forget
 * ({@code h' = h + sigmoid(leak) * (tanh(W_ih x + b + W_hh h) - h)}), whose {@code leak} has a shape
 * no built-in cell has.
 *
 * <h2>Its parameters</h2>
 *
 * Any number, any shapes, held in fields:
 *
 * <pre>{@code
 * private final Parameter weightIh;
 * private final Parameter weightHh;
 * private final Parameter bias;
 * private final Parameter leak;
 * }</pre>
 *
 * and registered in the constructor with {@code registerParameter} (or {@code registerModule} for
 * a submodule such as a {@link dev.unroll.nn.layers.LayerNorm}). Then they are in
 * {@link dev.unroll.nn.Module#parameters()}, so the optimizer updates them,
 * {@link dev.unroll.nn.Module#zeroGrad()} zeroes them and {@link dev.unroll.nn.checkpoint.Checkpoint}
 * saves and loads them; a parameter created and not registered would be none of these. Register
 * every parameter in the constructor: a layer takes its cells' parameters when it builds them.
 *
 * <h2>Its state, and its step</h2>
 *
 * The parts of the state, each a name and a width, go to the constructor of
 * {@link dev.unroll.rnn.RecurrentCell}: {@code super(inputSize, hidden)} declares one part,
 * {@code h}; {@code super(inputSize, List.of(new StatePart("h", n), new StatePart("c", n)))} two, as
 * an LSTM has. The first part is the cell's output. The step,
 * {@link dev.unroll.rnn.RecurrentCell#stepProjected stepProjected(projected, state)}, is one timestep
 * from ops on tensors and returns a {@link dev.unroll.rnn.State} of the same parts
 * ({@code State.of(h)}, {@code State.of(h, c)}, or {@code State.of(stateNames(), parts)}).
 * {@link dev.unroll.rnn.RecurrentCell#projectInput projectInput(inputs)} is optional: the part of
 * the step that reads only the input, which a layer then computes for all timesteps in one large
 * product, handing each timestep's rows to {@code stepProjected}; without it, {@code stepProjected}
 * receives the input itself.
 *
 * <pre>{@code
 * public LeakyCell(int inputSize, int hidden, RandomGenerator rng) {
 *     super(inputSize, hidden);   // one state part, h, of width hidden
 *     double bound = 1 / Math.sqrt(hidden);
 *     weightIh = registerParameter("weight_ih", Parameter.of(Tensor.uniform(hidden, inputSize, -bound, bound, rng)));
 *     weightHh = registerParameter("weight_hh", Parameter.of(Tensor.uniform(hidden, hidden, -bound, bound, rng)));
 *     bias = registerParameter("bias", Parameter.vector(Tensor.zeros(1, hidden)));
 *     leak = registerParameter("leak", Parameter.vector(Tensor.zeros(1, hidden)));   // a = 0.5 at the start
 * }
 *
 * @Override   // x W_ih^T + b of all timesteps in one product: the layer passes every timestep's rows
 * public Tensor projectInput(Tensor inputs) {
 *     return MatrixOps.linear(inputs, weightIh, bias);
 * }
 *
 * @Override   // one timestep from its projected input: the recurrent product, the candidate, the leak
 * public State stepProjected(Tensor projected, State state) {
 *     Tensor h = state.h();
 *     Tensor candidate = MatrixOps.addLinear(projected, h, weightHh, null).tanh();
 *     Tensor rate = leak.sigmoid();   // 1 x H, broadcast over the batch's rows
 *     return State.of(h.add(candidate.sub(h).mul(rate)));
 * }
 * }</pre>
 *
 * <h2>What it gets for free</h2>
 *
 * {@code step(x, state)} and {@code zeroState(batch)}; its gradients, since the tape differentiates
 * the ops ({@link dev.unroll.autograd.GradCheck} compares them with finite differences, the leak's
 * included, in this guide's test); and a layer from a factory of cells, one per layer and direction:
 * {@code new RecurrentLayer(64, (in, rng) -> new LeakyCell(in, 256, rng),
 * RecurrentOptions.defaults().layers(2).bidirectional(), seed)}, with stacking, both directions,
 * per-sequence lengths (every state part keeps its value past a sequence's end), learned initial
 * states, dropout between layers, one-step stepping for sampling and truncated BPTT. The layer
 * registers every parameter of every cell under the cell's names with PyTorch's suffixes
 * ({@code leak_l0}, {@code leak_l1_reverse}), and every model takes the layer or the factory
 * ({@code LanguageModel}, {@code Seq2Seq}, {@code ConditionedLanguageModel},
 * {@code AttentionDecoder}). A state whose parts do not fit the cell, a step that returns other
 * parts than it declares, a learned initial state for a part the cell lacks: each is refused where
 * it happens, naming the cell and the parts.
 *
 * <p>A cell built from plain ops is fast enough to use as it is: the minimal gated unit
 * ({@link dev.unroll.rnn.cell.MguCell}, ten recorded ops a step, no fused op) trains as fast as the
 * built-in GRU with its fused update. An op the cell needs that the engine lacks is written as the
 * guide {@link dev.unroll.guide.op} shows.
 */
package dev.unroll.guide.cell;
