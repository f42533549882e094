package dev.unroll.samples.programs;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.ShapeOps;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.init.Init;
import dev.unroll.nn.layers.Linear;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.State;
import dev.unroll.rnn.cell.GatedCell;
import dev.unroll.rnn.cell.LstmCell;
import dev.unroll.rnn.cell.RnnCell;
import dev.unroll.rnn.layer.CellType;
import dev.unroll.rnn.layer.Lstm;
import dev.unroll.rnn.layer.RecurrentLayer;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.samples.common.OptionChecks;
import dev.unroll.samples.common.RunOptions;
import dev.unroll.samples.common.TrainingRun;
import dev.unroll.train.Trainer;
import dev.unroll.train.BatchStep;
import dev.unroll.train.callback.LossHistory;
import dev.unroll.train.callback.LossPlot;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Vanishing and exploding gradients made visible. First, the norm of dLoss/dh_t at every step t
 * of a sequence whose loss depends only on the last step, for a vanilla RNN whose recurrent
 * matrix has all singular values below 1, one with all above 1, and an LSTM, plotted on one PNG.
 * Second, a long-range task: recall the first symbol of a sequence after many noise symbols; the LSTM
 * (forget gate opened by its initial bias) learns it and the vanilla RNN does not, at the same
 * budget.
 */
@Command(name = "gradient-flow", mixinStandardHelpOptions = true,
        description = "Vanishing/exploding gradients of a vanilla RNN versus an LSTM, and a long-range recall task.")
public final class GradientFlowCommand implements Callable<Integer> {

    @Mixin
    RunOptions run = new RunOptions();

    @Option(names = "--steps", defaultValue = "60", description = "sequence length for the gradient norms (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--hidden", defaultValue = "64", description = "hidden units (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--small-gain", defaultValue = "0.9", description = "singular values of the vanishing RNN (default: ${DEFAULT-VALUE})")
    double smallGain;

    @Option(names = "--large-gain", defaultValue = "1.5", description = "singular values of the exploding RNN (default: ${DEFAULT-VALUE})")
    double largeGain;

    @Option(names = "--forget-bias", defaultValue = "3", description = "initial forget-gate bias of the second LSTM and of the recall LSTM (default: ${DEFAULT-VALUE})")
    double forgetBias;

    @Option(names = "--delay", defaultValue = "40", description = "distractors between the symbol and the question (default: ${DEFAULT-VALUE})")
    int delay;

    @Option(names = "--iterations", defaultValue = "1000",
            description = "training steps per model on the recall task, in all, counting those of a --resume run (default: ${DEFAULT-VALUE})")
    int iterations;

    PrintStream out = System.out;
    double lstmAccuracy;
    double rnnAccuracy;
    final Map<String, double[]> norms = new LinkedHashMap<>();

    private static final int INPUT = 8;
    private static final int SYMBOLS = 6;
    private static final int NOISE = 4;
    private static final int QUERY = SYMBOLS + NOISE;
    private static final int VOCABULARY = QUERY + 1;

    @Override
    public Integer call() {
        OptionChecks.positive("--steps", steps);
        OptionChecks.positive("--hidden", hidden);
        OptionChecks.positive("--small-gain", smallGain);
        OptionChecks.positive("--large-gain", largeGain);
        OptionChecks.positive("--delay", delay);
        OptionChecks.iterations(iterations);
        if (!Double.isFinite(forgetBias)) {
            throw new IllegalArgumentException("--forget-bias " + forgetBias + " must be a finite number");
        }
        // both recall runs are prepared (and their checkpoints resumed or checked) before anything runs
        Recall lstm = recall(CellType.LSTM);
        Recall rnn = recall(CellType.RNN);
        LossHistory plot = new LossHistory();
        norms.put("RNN (singular values " + smallGain + ")", gradientNorms(CellType.RNN, smallGain));
        norms.put("RNN (singular values " + largeGain + ")", gradientNorms(CellType.RNN, largeGain));
        norms.put("LSTM (PyTorch init)", gradientNorms(CellType.LSTM, Double.NaN));
        norms.put("LSTM (forget bias " + forgetBias + ")", gradientNorms(CellType.LSTM, Double.NaN, forgetBias));
        out.println("norm of dLoss/dh_t, every 10th step (t = 1 is the first step):");
        norms.forEach((name, n) -> {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-28s", name));
            for (int t = 0; t < n.length; t++) {
                plot.add(name, t + 1, n[t]);
                if (t % 10 == 0) {
                    sb.append(String.format(Locale.ROOT, " %9.2e", n[t]));
                }
            }
            out.println(sb.append(String.format(Locale.ROOT, " ... %9.2e", n[n.length - 1])));
        });
        Path dir = run.outDir("gradient-flow");
        plot.writeCsv(dir.resolve("gradient-norms.csv"));
        new LossPlot(plot, dir.resolve("gradient-norms.png"), "||dLoss/dh_t|| (loss at the last step only)", "timestep t",
                "||dLoss/dh_t||").logarithmic().write();
        out.println("plot: " + dir.resolve("gradient-norms.png"));

        out.printf(Locale.ROOT, "recall task: a symbol (of %d), then %d random noise symbols, then recall the symbol%n",
                SYMBOLS, delay);
        lstmAccuracy = train(lstm);
        rnnAccuracy = train(rnn);
        out.printf(Locale.ROOT, "held-out accuracy after %d steps: LSTM %.1f%%, vanilla RNN %.1f%% (chance %.1f%%)%n",
                iterations, 100 * lstmAccuracy, 100 * rnnAccuracy, 100.0 / SYMBOLS);
        return 0;
    }

    private double[] gradientNorms(CellType type, double gain) {
        return gradientNorms(type, gain, Double.NaN);
    }

    /**
     * ||dL/dh_t|| for t = 1..steps, the loss reading only h_T; an RNN's recurrent matrix gets
     * the given singular values, an LSTM the given forget-gate bias (NaN: default init).
     */
    private double[] gradientNorms(CellType type, double gain, double lstmForgetBias) {
        RandomGenerator rng = Randomness.seeded(run.seed);
        GatedCell cell = type == CellType.RNN ? new RnnCell(INPUT, hidden, run.seed)
                : new LstmCell(INPUT, hidden, lstmForgetBias, Randomness.seeded(run.seed));
        if (!Double.isNaN(gain)) {
            Init.orthogonal(cell.weightHh(), gain, rng);
            Init.normal(cell.weightIh(), 0, 0.1, rng);
            Init.zeros(cell.biasIh());
            Init.zeros(cell.biasHh());
        }
        List<Tensor> hs = new ArrayList<>();
        try (Tape tape = Tape.record()) {
            State state = cell.zeroState(1);
            for (int t = 0; t < steps; t++) {
                state = cell.step(Tensor.uniform(1, INPUT, -1, 1, rng), state);
                hs.add(state.h().retainGrad());
            }
            tape.backward(state.h().mul(Tensor.uniform(1, hidden, -1, 1, rng)).sum());
        }
        double[] n = new double[steps];
        for (int t = 0; t < steps; t++) {
            double s = 0;
            for (double v : hs.get(t).grad().data()) {
                s += v * v;
            }
            n[t] = Math.sqrt(s);
        }
        return n;
    }

    /** A recall model ready to train: its optimizer, data and run (resumed from its checkpoint when asked). */
    private record Recall(RecallModel model, Adam adam, RandomGenerator data, TrainingRun training) {
    }

    private Recall recall(CellType type) {
        RecallModel model = new RecallModel(type, hidden, forgetBias, run.seed);
        Adam adam = new Adam(model, 0.005);
        TrainingRun training = new TrainingRun("gradient-flow", "recall-" + type.name().toLowerCase(Locale.ROOT), run,
                model, adam, Map::of, out);
        return new Recall(model, adam, Randomness.seeded(run.seed + 7), training);
    }

    /** Trains a one-layer model on the recall task and returns its held-out accuracy. */
    private double train(Recall recall) {
        RecallModel model = recall.model();
        Adam adam = recall.adam();
        RandomGenerator data = recall.data();
        TrainingRun training = recall.training();
        training.fit(Trainer.builder(model, adam).clipNorm(1.0).step(new BatchStep<>(
                Stream.generate(() -> batch(32, data)).iterator(),
                batch -> LossOps.softmaxCrossEntropy(model.logits(batch.inputs), batch.answers, Reduction.MEAN),
                batch -> 32L * (delay + 1))), iterations, "loss (nats per sequence)");
        training.printFiles();
        Batch test = batch(500, Randomness.seeded(run.seed + 1000));
        Tensor logits = model.logits(test.inputs);
        int correct = 0;
        for (int b = 0; b < test.answers.length; b++) {
            int best = 0;
            for (int j = 1; j < SYMBOLS; j++) {
                best = logits.get(b, j) > logits.get(b, best) ? j : best;
            }
            correct += best == test.answers[b] ? 1 : 0;
        }
        return correct / (double) test.answers.length;
    }

    private record Batch(List<Tensor> inputs, int[] answers) {
    }

    /** A symbol at step 0, random noise symbols (never an answer), the query token last; the answer is the first symbol. */
    private Batch batch(int size, RandomGenerator rng) {
        int[] answers = new int[size];
        List<Tensor> inputs = new ArrayList<>();
        for (int t = 0; t <= delay; t++) {
            int[] ids = new int[size];
            for (int b = 0; b < size; b++) {
                if (t == 0) {
                    answers[b] = rng.nextInt(SYMBOLS);
                    ids[b] = answers[b];
                } else {
                    ids[b] = t == delay ? QUERY : SYMBOLS + rng.nextInt(NOISE);
                }
            }
            inputs.add(ShapeOps.oneHot(ids, VOCABULARY));
        }
        return new Batch(inputs, answers);
    }

    /** One recurrent layer read at its last step by a linear classifier. */
    private static final class RecallModel extends Module {
        private final RecurrentLayer rnn;
        private final Linear head;

        RecallModel(CellType type, int hidden, double forgetBias, long seed) {
            rnn = registerModule("rnn", type == CellType.LSTM
                    ? new Lstm(VOCABULARY, hidden, RecurrentOptions.defaults(), forgetBias, Randomness.seeded(seed))
                    : type.layer(VOCABULARY, hidden, RecurrentOptions.defaults(), seed));
            head = registerModule("head", new Linear(hidden, SYMBOLS, seed + 1));
        }

        Tensor logits(List<Tensor> inputs) {
            return head.forward(rnn.forward(inputs).last());
        }
    }
}
