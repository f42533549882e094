package dev.unroll.samples.programs;

import dev.unroll.autograd.Randomness;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.rnn.data.WordVocabulary;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.sample.Sampler;
import dev.unroll.samples.common.Corpus;
import dev.unroll.samples.common.OptionChecks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Loads a char-lstm or word-lm checkpoint and generates text from it. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Generate text from a char-lstm or word-lm checkpoint.")
public final class SampleCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", defaultValue = "runs/char-lstm/char-lstm.safetensors",
            description = "the checkpoint (default: ${DEFAULT-VALUE})")
    Path checkpoint;

    @Option(names = "--temperature", defaultValue = "0.8", description = "sampling temperature (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--prime", defaultValue = "ROMEO:", description = "text to start from (default: ${DEFAULT-VALUE})")
    String prime;

    @Option(names = "--length", defaultValue = "600", description = "characters to generate, or words for a word-lm checkpoint (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--seed", defaultValue = "1", description = "sampling seed (default: ${DEFAULT-VALUE})")
    long seed;

    PrintStream out = System.out;
    String text;

    @Override
    public Integer call() throws IOException {
        OptionChecks.positive("--temperature", temperature);
        OptionChecks.notNegative("--length", length);
        if (!Files.exists(checkpoint)) {
            throw new IllegalArgumentException("no checkpoint at " + checkpoint + "; train one first with char-lstm or word-lm");
        }
        Map<String, String> metadata = Checkpoint.metadata(checkpoint);
        if ("word-lm".equals(metadata.get("model"))) {
            WordVocabulary words = WordVocabulary.fromMetadata(metadata, "vocabulary.");
            LanguageModel model = WordLmCommand.modelFrom(metadata, words);
            Checkpoint.load(checkpoint, model);
            text = WordLmCommand.sample(model, words, prime, length, temperature, seed);
        } else {
            CharModelSpec spec = CharModelSpec.from(metadata);
            LanguageModel model = spec.build(0);
            Checkpoint.load(checkpoint, model);
            Corpus vocabulary = new Corpus(spec.vocabulary(), spec.vocabulary());
            Sampler sampler = Sampler.temperature(model, temperature, Randomness.seeded(seed));
            text = prime + vocabulary.decode(sampler.generate(vocabulary.encode(prime), length, Sampler.NO_END));
        }
        out.println(text);
        return 0;
    }
}
