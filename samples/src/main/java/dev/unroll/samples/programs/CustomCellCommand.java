package dev.unroll.samples.programs;

import dev.unroll.autograd.MatrixOps;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.layers.Embedding;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.RecurrentCell;
import dev.unroll.rnn.State;
import dev.unroll.rnn.StatePart;
import dev.unroll.rnn.layer.RecurrentLayer;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.samples.common.RunOptions;
import dev.unroll.samples.common.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Write your own cell: {@link CoupledLstmCell}, a recurrent cell the library does not ship, in
 * 25 lines, used as any built-in one. It is trained on tiny-shakespeare (or any text) as
 * char-lstm trains its LSTM (truncated BPTT, state carried), sampled from, saved, then loaded
 * into a fresh model that must generate the same text.
 */
@Command(name = "custom-cell", mixinStandardHelpOptions = true,
        description = "A cell written in 25 lines (an LSTM with coupled input and forget gates), trained on "
                + "tiny-shakespeare, sampled, saved and loaded.")
public final class CustomCellCommand implements Callable<Integer> {

    // readme:begin
    /** The LSTM with coupled input and forget gates (CIFG, Greff et al. 2017): i = 1 - f, gates [f | g | o]. */
    static final class CoupledLstmCell extends RecurrentCell {
        private final Parameter weightIh, weightHh, bias;

        CoupledLstmCell(int inputSize, int hidden, RandomGenerator rng) {
            super(inputSize, List.of(new StatePart("h", hidden), new StatePart("c", hidden)));
            double bound = 1 / Math.sqrt(hidden);
            weightIh = registerParameter("weight_ih", Parameter.of(Tensor.uniform(3 * hidden, inputSize, -bound, bound, rng)));
            weightHh = registerParameter("weight_hh", Parameter.of(Tensor.uniform(3 * hidden, hidden, -bound, bound, rng)));
            bias = registerParameter("bias", Parameter.vector(Tensor.zeros(1, 3 * hidden)));
        }

        @Override
        public Tensor projectInput(Tensor inputs) { // optional: x W_ih^T + b of all timesteps in one product
            return MatrixOps.linear(inputs, weightIh, bias);
        }

        @Override
        public State stepProjected(Tensor projected, State state) {
            int n = outputSize();
            Tensor gates = MatrixOps.addLinear(projected, state.h(), weightHh, null);
            Tensor f = gates.sliceCols(0, n).sigmoid(), g = gates.sliceCols(n, 2 * n).tanh();
            Tensor c = g.add(f.mul(state.part("c").sub(g))); // f * c + (1 - f) * g
            return State.of(gates.sliceCols(2 * n, 3 * n).sigmoid().mul(c.tanh()), c);
        }
    }
    // readme:end

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    CharTrainingOptions options = new CharTrainingOptions();

    PrintStream out = System.out;
    CharTraining.Outcome outcome;
    String sampleOfLoaded;

    /** An embedding, a RecurrentLayer of the new cell (stacked, every parameter registered), a linear head. */
    private LanguageModel model(int vocabulary) {
        RecurrentLayer rnn = new RecurrentLayer(options.embedding, (in, rng) -> new CoupledLstmCell(in, options.hidden, rng),
                RecurrentOptions.defaults().layers(options.layers), run.seed + 1);
        return new LanguageModel(vocabulary, new Embedding(vocabulary, options.embedding, run.seed), rnn, run.seed + 2);
    }

    @Override
    public Integer call() throws IOException {
        CharTraining text = new CharTraining(options);
        int vocabulary = text.corpus().vocabularySize();
        LanguageModel model = model(vocabulary);
        model.to(options.precision.dtype());
        Adam adam = new Adam(model, options.learningRate);
        text.describe(out, model);
        out.println(model.summary());
        TrainingRun training = new TrainingRun("custom-cell", run, model, adam, () -> Map.of("model", "custom-cell",
                "hidden", Integer.toString(options.hidden), "layers", Integer.toString(options.layers)), out);
        outcome = text.finish(out, training, model, text.train(training, model, adam, () -> model(vocabulary)), run.seed);
        LanguageModel loaded = model(vocabulary);
        loaded.to(options.precision.dtype());
        Checkpoint.load(training.checkpoint(), loaded);
        sampleOfLoaded = text.sample(loaded, run.seed);
        boolean same = sampleOfLoaded.equals(outcome.sample());
        out.println(same ? "loaded " + training.checkpoint() + " into a fresh model: it generates the same text"
                : "the model loaded from " + training.checkpoint() + " generates other text:\n" + sampleOfLoaded);
        training.printFiles();
        return same ? 0 : 1;
    }
}
