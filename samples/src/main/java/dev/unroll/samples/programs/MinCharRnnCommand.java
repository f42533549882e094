package dev.unroll.samples.programs;

import dev.unroll.autograd.DType;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.init.Init;
import dev.unroll.nn.optim.Adagrad;
import dev.unroll.rnn.LossAndState;
import dev.unroll.rnn.State;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.sample.Sampler;
import dev.unroll.samples.common.Corpus;
import dev.unroll.samples.common.OptionChecks;
import dev.unroll.samples.common.PrecisionOption;
import dev.unroll.samples.common.RunOptions;
import dev.unroll.samples.common.TrainingRun;
import dev.unroll.train.GradientStep;
import dev.unroll.train.Trainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A faithful reproduction of Karpathy's min-char-rnn.py: a vanilla tanh RNN (hidden 100, one
 * hidden bias) over one-hot characters, 25 steps per update, summed cross-entropy, Adagrad with learning rate 0.1
 * (mem += g^2; w -= lr g / sqrt(mem + 1e-8)), every gradient clipped to [-5, 5], weights drawn
 * from N(0, 0.01^2) and zero biases, the hidden state carried from chunk to chunk and reset at
 * the end of the text; prints the smoothed loss and a 200-character sample periodically.
 */
@Command(name = "min-char-rnn", mixinStandardHelpOptions = true,
        description = "Karpathy's min-char-rnn: a vanilla RNN trained with Adagrad on characters.")
public final class MinCharRnnCommand implements Callable<Integer> {

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Option(names = "--text", description = "a UTF-8 text file (default: the bundled tiny-shakespeare)")
    Path text;

    @Option(names = "--hidden", defaultValue = "100", description = "hidden units (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--steps", defaultValue = "25", description = "characters per update (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--lr", defaultValue = "0.1", description = "Adagrad learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--iterations", defaultValue = "20000",
            description = "updates in all, counting those of a --resume checkpoint (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--print-every", defaultValue = "2000",
            description = "iterations between loss reports and samples (default: ${DEFAULT-VALUE})")
    int printEvery;

    private static final String SMOOTH_LOSS = "smooth_loss";
    private static final String POSITION = "position";
    private static final String HIDDEN_STATE = "hidden_state";

    PrintStream out = System.out;
    double smoothLoss;
    double recentLoss;
    private int position;

    @Override
    public Integer call() {
        OptionChecks.iterations(iterations);
        OptionChecks.positive("--hidden", hidden);
        OptionChecks.positive("--steps", steps);
        OptionChecks.positive("--lr", learningRate);
        OptionChecks.notNegative("--print-every", printEvery);
        Corpus corpus = Corpus.load(text);
        int[] data = corpus.ids();
        if (data.length < steps + 2) {
            throw new IllegalArgumentException("the text has " + data.length + " characters, too few for --steps "
                    + steps + "; use a longer text or fewer --steps");
        }
        int vocabulary = corpus.vocabularySize();
        out.printf(Locale.ROOT, "data has %d characters, %d unique.%n", data.length, vocabulary);
        LanguageModel model = initialModel(vocabulary, hidden, run.seed);
        DType dtype = precision.dtype();
        model.to(dtype);
        Adagrad adagrad = Adagrad.minCharRnn(model, learningRate);
        int chunksPerPass = (data.length - steps - 2) / steps + 1;
        smoothLoss = -Math.log(1.0 / vocabulary) * steps;
        AtomicReference<List<State>> carried = new AtomicReference<>(model.initialState(1));
        TrainingRun training = new TrainingRun("min-char-rnn", run, model, adagrad, () -> Map.of(
                "vocabulary", corpus.vocabulary(), "hidden", Integer.toString(hidden),
                SMOOTH_LOSS, Double.toString(smoothLoss),
                POSITION, Integer.toString(position),
                HIDDEN_STATE, join(carried.get().get(0).h().toArray()[0])), out);
        position = training.iteration() % chunksPerPass * steps;
        Map<String, String> resumed = training.resumed();
        if (resumed.containsKey(SMOOTH_LOSS)) {
            // min-char-rnn's own loop carries both across chunks: so does a resumed run
            smoothLoss = training.resumedNumber(SMOOTH_LOSS);
            if (training.resumedNumber(POSITION) != position) {
                throw new IllegalArgumentException("the checkpoint's data position does not match this text; resume "
                        + "with the --text and --steps it was trained with");
            }
            carried.set(List.of(State.of(Tensor.row(hiddenState(resumed.get(HIDDEN_STATE), hidden)).to(dtype))));
        }
        RandomGenerator sampling = Randomness.seeded(run.seed + 1 + training.iteration());
        GradientStep chunkStep = (n, tape) -> {
            int chunk = n % chunksPerPass;
            if (chunk == 0) {
                carried.set(model.initialState(1));
            }
            int p = chunk * steps;
            int[][] inputs = new int[steps][1];
            int[][] targets = new int[steps][1];
            for (int t = 0; t < steps; t++) {
                inputs[t][0] = data[p + t];
                targets[t][0] = data[p + t + 1];
            }
            boolean report = printEvery > 0 && n % printEvery == 0;
            if (report) {
                try (Tape.Paused paused = Tape.pause()) {
                    Sampler sampler = Sampler.temperature(model, 1.0, sampling);
                    String sample = corpus.decode(sampler.generate(sampler.startFrom(carried.get(), data[p]), 200,
                            Sampler.NO_END));
                    training.report(String.format(Locale.ROOT, "----%n %s %n----", sample));
                }
            }
            LossAndState result = model.loss(inputs, targets, carried.get(), Reduction.SUM);
            tape.backward(result.loss());
            double loss = result.loss().item();
            carried.set(List.of(result.finalState().get(0).detach()));
            smoothLoss = smoothLoss * 0.999 + loss * 0.001;
            position = (n + 1) % chunksPerPass * steps;
            if (report) {
                training.report(String.format(Locale.ROOT, "iter %d, loss: %f", n, smoothLoss));
            }
            return new GradientStep.Result(loss, steps);
        };
        training.fit(Trainer.builder(model, adagrad).clipValue(5).step(chunkStep), iterations,
                "loss (nats per chunk of " + steps + " characters)");
        recentLoss = training.recentLoss();
        out.printf(Locale.ROOT, "after %d iterations: smooth loss %.2f (%.3f nats per character); mean loss of the last "
                + "%d updates %.2f (%.3f nats per character)%n", training.iteration(), smoothLoss, smoothLoss / steps,
                training.recentIterations(), recentLoss, recentLoss / steps);
        training.printFiles();
        return 0;
    }

    /**
     * The model min-char-rnn starts from, as min-char-rnn.py initialises it: W_xh, W_hh and W_hy
     * drawn from N(0, 0.01^2) in that order, the hidden bias b_h and the output bias b_y zero.
     * One hidden bias, as the original has ({@link LanguageModel#minCharRnn}). A numpy replica of
     * min-char-rnn.py started from these weights reproduces the sample's losses
     * ({@code MinCharRnnReplicaTest}).
     *
     * @param vocabulary the number of characters
     * @param hidden hidden units
     * @param seed the seed of the draws
     * @return the initialised float64 model
     */
    public static LanguageModel initialModel(int vocabulary, int hidden, long seed) {
        LanguageModel model = LanguageModel.minCharRnn(vocabulary, hidden, seed);
        RandomGenerator init = Randomness.seeded(seed);
        for (Parameter p : model.parameters()) {
            if (p.isVector()) {
                Init.zeros(p);
            } else {
                Init.normal(p, 0, 0.01, init);
            }
        }
        return model;
    }

    private static String join(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.length() == 0 ? "" : ",").append(v);
        }
        return sb.toString();
    }

    /** The carried hidden state a checkpoint stores, as comma-separated numbers, one per hidden unit. */
    private static double[] hiddenState(String values, int hidden) {
        String[] parts = values == null ? new String[0] : values.split(",");
        double[] out = new double[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                out[i] = Double.parseDouble(parts[i]);
            }
        } catch (NumberFormatException e) {
            parts = new String[0];
        }
        if (parts.length != hidden) {
            throw new IllegalArgumentException("--resume: the checkpoint's metadata '" + HIDDEN_STATE + "' does not hold "
                    + hidden + " numbers (--hidden); resume with the --hidden it was trained with");
        }
        return out;
    }
}
