package dev.unroll.samples.programs;

import dev.unroll.autograd.Randomness;
import dev.unroll.nn.optim.Adam;
import dev.unroll.nn.optim.LearningRateSchedule;
import dev.unroll.rnn.layer.CellType;
import dev.unroll.rnn.layer.RecurrentOptions;
import dev.unroll.rnn.seq2seq.Seq2Seq;
import dev.unroll.samples.common.OptionChecks;
import dev.unroll.samples.common.PrecisionOption;
import dev.unroll.samples.common.RunOptions;
import dev.unroll.samples.common.TrainingRun;
import dev.unroll.train.BatchStep;
import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingCallback;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Keras' {@code addition_rnn} experiment: an LSTM encoder-decoder reads a reversed query such as
 * "535+61" and writes "596". The questions are Keras' ({@link AdditionData}: 50,000 different
 * ones, 45,000 to train on and 5,000 never trained on); the encoder's final state starts the
 * decoder, trained with teacher forcing, one epoch after another, Adam's learning rate annealed
 * along a cosine over all epochs. After each epoch it measures the
 * validation loss and greedy exact match; at the end the exact match of the validation questions
 * greedily and by beam search, of the training questions greedily, and Keras' per-character accuracy.
 */
@Command(name = "addition", mixinStandardHelpOptions = true,
        description = "Keras' addition_rnn: an LSTM encoder-decoder learns to add numbers written as text.")
public final class AdditionCommand implements Callable<Integer> {

    /** The series of the validation exact match in the loss curve. */
    static final String EXACT_MATCH = "validation exact match (greedy)";

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    @Option(names = "--digits", defaultValue = "3", description = "most digits of each number (default: ${DEFAULT-VALUE})")
    int digits;

    @Option(names = "--questions", defaultValue = "50000",
            description = "different questions, the last tenth held out for validation (default: ${DEFAULT-VALUE})")
    int questions;

    @Option(names = "--hidden", defaultValue = "128", description = "LSTM units of the encoder and of the decoder "
            + "(default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--embedding", defaultValue = "16", description = "embedding width of the characters (default: ${DEFAULT-VALUE})")
    int embedding;

    @Option(names = "--batch", defaultValue = "128", description = "questions per update (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "0.005", description = "Adam's initial learning rate, annealed to 0 along a "
            + "cosine over --epochs (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--epochs", defaultValue = "20",
            description = "passes over the training questions in all, counting those of a --resume checkpoint "
                    + "(default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--beam", defaultValue = "3", description = "beam width of the final beam search (default: ${DEFAULT-VALUE})")
    int beam;

    PrintStream out = System.out;
    AdditionScore greedy;
    AdditionScore beamSearch;
    AdditionScore training;
    double secondsPerEpoch;

    private void check() {
        OptionChecks.positive("--digits", digits);
        if (digits > 9) {
            throw new IllegalArgumentException("--digits " + digits + " must be at most 9, so that a sum fits an int");
        }
        OptionChecks.positive("--questions", questions);
        long distinct = new AdditionData(digits).distinctQuestions();
        if (questions < 10 || questions > distinct) {
            throw new IllegalArgumentException("--questions " + questions + " must be from 10 (a tenth is held out) to "
                    + distinct + ", the different questions of numbers up to " + digits + " digits");
        }
        OptionChecks.positive("--hidden", hidden);
        OptionChecks.positive("--embedding", embedding);
        OptionChecks.positive("--batch", batch);
        OptionChecks.positive("--lr", learningRate);
        OptionChecks.positive("--epochs", epochs);
        OptionChecks.positive("--beam", beam);
    }

    @Override
    public Integer call() {
        check();
        AdditionData data = new AdditionData(digits);
        List<AdditionData.Question> all = data.generate(questions, Randomness.seeded(run.seed));
        int split = questions - questions / 10;
        List<AdditionData.Question> train = all.subList(0, split);
        List<AdditionData.Question> validation = all.subList(split, questions);
        int perEpoch = AdditionData.batchesPerEpoch(train.size(), batch);
        out.printf(Locale.ROOT, "%,d questions of numbers up to %d digits: %,d for training (%,d updates of %d per "
                + "epoch), %,d for validation, never trained on%n", questions, digits, train.size(), perEpoch, batch,
                validation.size());

        RecurrentOptions options = RecurrentOptions.defaults();
        Seq2Seq model = new Seq2Seq(AdditionData.QUERY_CHARACTERS.length(), AdditionData.ANSWER_VOCABULARY, embedding,
                CellType.LSTM.cells(hidden, options), options, run.seed + 1);
        model.to(precision.dtype());
        Adam adam = new Adam(model, learningRate);
        Map<String, String> dataset = Map.of("digits", Integer.toString(digits), "questions", Integer.toString(questions),
                "seed", Long.toString(run.seed));
        TrainingRun trainingRun = new TrainingRun("addition", run, model, adam, () -> dataset, out);
        sameQuestionsAsResumed(trainingRun.resumed(), dataset);
        AdditionData.Batch held = data.batch(validation);
        Trainer.Builder trainer = Trainer.builder(model, adam).clipNorm(5)
                .schedule(LearningRateSchedule.cosine(epochs * perEpoch, 0))
                .step(new BatchStep<>(data.epochs(train, batch, Randomness.seeded(run.seed + 2)),
                        b -> model.loss(b.source(), null, b.target(), b.targetLengths()), AdditionData.Batch::size))
                .validateEvery(perEpoch, () -> model.loss(held.source(), null, held.target(), held.targetLengths()).item())
                .callback(new TrainingCallback() {
                    @Override
                    public void onValidation(Validation v) {
                        double exact = AdditionScore.of(model, data, validation, 1).exactMatch();
                        trainingRun.log().add(EXACT_MATCH, v.iteration(), exact);
                        trainingRun.report(String.format(Locale.ROOT, "epoch %d: validation loss %.4f nats per answer "
                                + "token, exact match %.2f%%", v.iteration() / perEpoch, v.figure(), 100 * exact));
                    }
                });
        Trainer.Outcome outcome = trainingRun.fit(trainer, epochs * perEpoch,
                "loss (nats per answer token); exact match (fraction)");
        secondsPerEpoch = train.size() / outcome.tokensPerSecond();
        report(model, data, train, validation, outcome);
        trainingRun.printFiles();
        return 0;
    }

    /** A resumed run must train on the questions its checkpoint trained on, which these options generate. */
    private static void sameQuestionsAsResumed(Map<String, String> resumed, Map<String, String> dataset) {
        if (resumed.isEmpty()) {
            return;
        }
        for (Map.Entry<String, String> e : new TreeMap<>(dataset).entrySet()) {
            if (!e.getValue().equals(resumed.get(e.getKey()))) {
                throw new IllegalArgumentException("--resume: the checkpoint was trained with --" + e.getKey() + " "
                        + resumed.get(e.getKey()) + ", this run asks for " + e.getValue() + "; pass --" + e.getKey() + " "
                        + resumed.get(e.getKey()) + " to continue on the same questions");
            }
        }
    }

    private void report(Seq2Seq model, AdditionData data, List<AdditionData.Question> train,
            List<AdditionData.Question> validation, Trainer.Outcome outcome) {
        model.eval();
        greedy = AdditionScore.of(model, data, validation, 1);
        beamSearch = AdditionScore.of(model, data, validation, beam);
        training = AdditionScore.of(model, data, train, 1);
        out.println("question   answer  decoded");
        for (int i = 0; i < Math.min(10, validation.size()); i++) {
            AdditionData.Question q = validation.get(i);
            String decoded = greedy.answers().get(i);
            out.printf(Locale.ROOT, "  %-9s %-7s %s%s%n", q.a() + "+" + q.b(), q.answer(), decoded,
                    decoded.equals(q.answer()) ? "" : "  wrong");
        }
        out.printf(Locale.ROOT, "after %d epochs (%s):%n", outcome.iteration() / AdditionData.batchesPerEpoch(train.size(),
                batch), Double.isNaN(secondsPerEpoch) ? "none trained in this session"
                : String.format(Locale.ROOT, "%.0f s per epoch in this session, validation included", secondsPerEpoch));
        out.printf(Locale.ROOT, "  validation exact match: %.2f%% greedy, %.2f%% beam search of width %d "
                + "(per character, Keras' accuracy: %.2f%% greedy)%n", 100 * greedy.exactMatch(),
                100 * beamSearch.exactMatch(), beam, 100 * greedy.perCharacter());
        out.printf(Locale.ROOT, "  training exact match:   %.2f%% greedy (per character %.2f%%)%n",
                100 * training.exactMatch(), 100 * training.perCharacter());
    }
}
