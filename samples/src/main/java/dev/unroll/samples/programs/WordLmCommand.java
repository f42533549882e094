package dev.unroll.samples.programs;

import dev.unroll.autograd.Randomness;
import dev.unroll.autograd.Reduction;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.data.WordTokenizer;
import dev.unroll.rnn.data.WordVocabulary;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.sample.Sampler;
import dev.unroll.rnn.tbptt.ParallelStreams;
import dev.unroll.samples.common.Corpus;
import dev.unroll.samples.common.OptionChecks;
import dev.unroll.samples.common.RunOptions;
import dev.unroll.samples.common.TrainingRun;
import dev.unroll.train.StreamTbpttStep;
import dev.unroll.train.Trainer;
import dev.unroll.train.TrainingCallback;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A word-level language model as PyTorch's {@code examples/word_language_model} with
 * {@code --tied}: an embedding, a 2-layer LSTM of the same width with dropout, and an output layer
 * whose weight is the embedding's table ({@link LanguageModel#tiedLstm}), trained on the words of
 * tiny-shakespeare ({@link WordCorpus}: a line is its words and {@code <eos>}, the first 90 % of
 * the lines for training) over parallel streams with truncated BPTT carrying the state, Adam and
 * global-norm clipping. Reports the validation perplexity beside that of an add-one unigram model
 * ({@link UnigramModel}) on the same words, then samples words.
 */
@Command(name = "word-lm", mixinStandardHelpOptions = true,
        description = "Train a word-level LSTM language model with tied embeddings on tiny-shakespeare's words; report "
                + "its validation perplexity beside a unigram model's.")
public final class WordLmCommand implements Callable<Integer> {

    @Mixin
    RunOptions run = new RunOptions();

    @Option(names = "--iterations", defaultValue = "400", description = "updates in all, each batch x steps words; a "
            + "total that counts the iterations of a --resume checkpoint (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--size", defaultValue = "128",
            description = "embedding width, which is also each LSTM layer's hidden size (tied) (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--layers", defaultValue = "2", description = "stacked LSTM layers (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--dropout", defaultValue = "0.2", description = "dropout on the embedded words, between the layers "
            + "and before the output layer (default: ${DEFAULT-VALUE})")
    double dropout;

    @Option(names = "--min-count", defaultValue = "5", description = "words seen fewer times in the training lines are "
            + "<unk> (default: ${DEFAULT-VALUE})")
    int minCount;

    @Option(names = "--tokenizer", defaultValue = "words-and-punctuation,lowercase", description = "whitespace or "
            + "words-and-punctuation, either optionally followed by ,lowercase (default: ${DEFAULT-VALUE})")
    String tokenizer;

    @Option(names = "--text", description = "a UTF-8 text file (default: the bundled tiny-shakespeare)")
    Path text;

    @Option(names = "--batch", defaultValue = "20", description = "parallel streams (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--steps", defaultValue = "35", description = "words per update per stream (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--lr", defaultValue = "0.003", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--clip", defaultValue = "0.25", description = "global gradient-norm limit (default: ${DEFAULT-VALUE})")
    double clip;

    @Option(names = "--eval-every", defaultValue = "100",
            description = "iterations between validation perplexities (default: ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(names = "--temperature", defaultValue = "0.8", description = "sampling temperature (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--prime", defaultValue = "ROMEO:", description = "words to start the sample from (default: ${DEFAULT-VALUE})")
    String prime;

    @Option(names = "--length", defaultValue = "40", description = "words to sample (default: ${DEFAULT-VALUE})")
    int length;

    PrintStream out = System.out;
    /** The validation perplexity the run ended with. */
    double validationPerplexity = Double.NaN;
    /** The add-one unigram model's perplexity on the same validation words. */
    double unigramPerplexity;
    /** The mean training loss of the last iterations, nats per word. */
    double trainLoss;
    /** --prime and the words sampled after it. */
    String sample;
    /** The vocabulary built from the training lines. */
    WordVocabulary vocabulary;

    @Override
    public Integer call() {
        check();
        WordCorpus corpus = new WordCorpus(Corpus.load(text).text(), WordTokenizer.named(tokenizer), minCount);
        vocabulary = corpus.vocabulary();
        ParallelStreams train = new ParallelStreams(corpus.train(), batch);
        ParallelStreams validation = new ParallelStreams(corpus.validation(), batch);
        if (train.length() < steps || validation.length() < steps) {
            throw new IllegalArgumentException("the text is too short for " + batch + " streams of " + steps
                    + " words; use a longer text or smaller --batch/--steps");
        }
        LanguageModel model = LanguageModel.tiedLstm(vocabulary.size(), size, layers, dropout, run.seed);
        Adam adam = new Adam(model, learningRate);
        unigramPerplexity = new UnigramModel(corpus.train(), vocabulary.size())
                .perplexity(validation.targets(0, validation.length()));
        out.printf(Locale.ROOT, "%,d lines: %,d words for training (%,d lines), %,d for validation; vocabulary %,d "
                + "(%s, seen at least %d times; %.1f %% of the validation words are <unk>); model: %,d parameters%n",
                corpus.lines(), corpus.train().length, corpus.trainLines(), corpus.validation().length, vocabulary.size(),
                vocabulary.tokenizer().name(), minCount, 100 * WordCorpus.unknownRate(corpus.validation()),
                model.parameterCount());
        TrainingRun training = new TrainingRun("word-lm", run, model, adam, () -> metadata(corpus.vocabulary()), out);
        Trainer.Builder trainer = Trainer.builder(model, adam)
                .step(new StreamTbpttStep(train, steps, model::initialState,
                        (x, y, state) -> model.loss(x, y, state, Reduction.MEAN)))
                .clipNorm(clip)
                .validateEvery(evalEvery, () -> StreamValidation.meanLoss(model, validation, steps, validation.length()))
                .callback(new TrainingCallback() {
                    @Override
                    public void onValidation(Validation v) {
                        validationPerplexity = Math.exp(v.figure());
                        training.report(String.format(Locale.ROOT, "iteration %d: validation perplexity %.1f (unigram "
                                + "%.1f)", v.iteration(), validationPerplexity, unigramPerplexity));
                    }
                });
        double wordsPerSecond = training.fit(trainer, iterations, "loss (nats per word)").tokensPerSecond();
        if (Double.isNaN(validationPerplexity)) {
            validationPerplexity = Math.exp(StreamValidation.meanLoss(model, validation, steps, validation.length()));
        }
        trainLoss = training.recentLoss();
        out.printf(Locale.ROOT, "after %d iterations: training perplexity %.1f (%s), validation perplexity %.1f over %,d "
                + "validation words; a unigram model (add-one smoothing) has %.1f; %.0f words/s%n", training.iteration(),
                Math.exp(trainLoss), training.recentIterations() == 0 ? "the checkpoint's"
                        : "mean loss of the last " + training.recentIterations(),
                validationPerplexity, (long) validation.length() * batch, unigramPerplexity, wordsPerSecond);
        sample = sample(model, vocabulary, prime, length, temperature, run.seed);
        out.println("---- sample (temperature " + temperature + ") ----");
        out.println(sample);
        out.println("----");
        training.printFiles();
        return 0;
    }

    /** Refuses, before anything is loaded or trained, an option that would fail later. */
    private void check() {
        OptionChecks.iterations(iterations);
        OptionChecks.positive("--size", size);
        OptionChecks.positive("--layers", layers);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--dropout " + dropout + " is outside [0, 1)");
        }
        OptionChecks.positive("--min-count", minCount);
        OptionChecks.positive("--batch", batch);
        OptionChecks.positive("--steps", steps);
        OptionChecks.positive("--lr", learningRate);
        OptionChecks.positive("--clip", clip);
        OptionChecks.notNegative("--eval-every", evalEvery);
        OptionChecks.positive("--temperature", temperature);
        OptionChecks.notNegative("--length", length);
        WordTokenizer.named(tokenizer);
    }

    /** The checkpoint's metadata: the model's shape and the vocabulary with its tokenizer. */
    private Map<String, String> metadata(WordVocabulary vocabulary) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", "word-lm");
        m.put("size", Integer.toString(size));
        m.put("layers", Integer.toString(layers));
        m.put("dropout", Double.toString(dropout));
        m.putAll(vocabulary.metadata("vocabulary."));
        return m;
    }

    /**
     * {@code length} words drawn after {@code prime} at {@code temperature}, in evaluation mode,
     * each {@code <eos>} a line break: what word-lm prints and {@code ./unroll sample} does with a
     * word-lm checkpoint.
     *
     * @param model a word-lm model
     * @param vocabulary its vocabulary
     * @param prime the words to start from
     * @param length the words to draw
     * @param temperature the sampling temperature
     * @param seed the sampling seed
     * @return the prime and the words drawn
     */
    static String sample(LanguageModel model, WordVocabulary vocabulary, String prime, int length, double temperature,
            long seed) {
        model.eval();
        int[] words = Sampler.temperature(model, temperature, Randomness.seeded(seed))
                .generate(vocabulary.encode(prime), length, Sampler.NO_END);
        StringBuilder text = new StringBuilder(prime);
        for (int id : words) {
            boolean lineStart = text.length() == 0 || text.charAt(text.length() - 1) == '\n';
            text.append(id == WordVocabulary.EOS_ID ? "\n" : (lineStart ? "" : " ") + vocabulary.word(id));
        }
        return text.toString();
    }

    /**
     * The untrained model a word-lm checkpoint's metadata describes, to load the checkpoint into.
     *
     * @param metadata a word-lm checkpoint's metadata
     * @param vocabulary its vocabulary
     * @return the tied model of the stored size, layers and dropout
     * @throws IllegalArgumentException naming the key, if one is missing or not a number
     */
    static LanguageModel modelFrom(Map<String, String> metadata, WordVocabulary vocabulary) {
        String whose = "this word-lm checkpoint's";
        return LanguageModel.tiedLstm(vocabulary.size(), (int) TrainingRun.metadataNumber(metadata, "size", whose),
                (int) TrainingRun.metadataNumber(metadata, "layers", whose),
                TrainingRun.metadataNumber(metadata, "dropout", whose), 0);
    }
}
