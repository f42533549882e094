package dev.unroll.samples.programs;

import dev.unroll.samples.common.OptionChecks;
import dev.unroll.samples.common.PrecisionOption;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of the programs that train a character model on a text (char-lstm, custom-cell). */
final class CharTrainingOptions {

    @Option(names = "--iterations", defaultValue = "400",
            description = "updates in all, each batch x steps characters; a total that counts the iterations of a "
                    + "--resume checkpoint, so pass a larger one to train on (default: ${DEFAULT-VALUE}, a few minutes on 2 cores)")
    int iterations;

    @Option(names = "--hidden", defaultValue = "256", description = "hidden units per layer (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--layers", defaultValue = "2", description = "stacked recurrent layers (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--text", description = "a UTF-8 text file (default: the bundled tiny-shakespeare)")
    Path text;

    @Option(names = "--batch", defaultValue = "32", description = "parallel streams (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--steps", defaultValue = "64", description = "characters per update per stream (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--embedding", defaultValue = "64", description = "embedding width (default: ${DEFAULT-VALUE})")
    int embedding;

    @Option(names = "--lr", defaultValue = "0.002", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--clip", defaultValue = "5", description = "global gradient-norm limit (default: ${DEFAULT-VALUE})")
    double clip;

    @Option(names = "--eval-every", defaultValue = "100",
            description = "iterations between validation losses (default: ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(names = "--eval-chunks", defaultValue = "0",
            description = "validation chunks of batch x steps characters; 0: the whole validation split (default: ${DEFAULT-VALUE})")
    int evalChunks;

    @Option(names = "--temperature", defaultValue = "0.8", description = "sampling temperature (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--prime", defaultValue = "ROMEO:", description = "text to start the sample from (default: ${DEFAULT-VALUE})")
    String prime;

    @Option(names = "--length", defaultValue = "600", description = "characters to sample (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--workers", defaultValue = "1", description = "data-parallel shards of each batch, one thread and "
            + "model replica each; the mean gradient over all of them is stepped (default: ${DEFAULT-VALUE})")
    int workers;

    @Mixin
    PrecisionOption precision = new PrecisionOption();

    /** Refuses, before anything is loaded or trained, an option that would fail later. */
    void check() {
        OptionChecks.iterations(iterations);
        OptionChecks.positive("--batch", batch);
        OptionChecks.positive("--steps", steps);
        OptionChecks.positive("--embedding", embedding);
        OptionChecks.positive("--hidden", hidden);
        OptionChecks.positive("--layers", layers);
        OptionChecks.positive("--lr", learningRate);
        OptionChecks.positive("--clip", clip);
        OptionChecks.notNegative("--eval-every", evalEvery);
        OptionChecks.notNegative("--eval-chunks", evalChunks);
        OptionChecks.positive("--temperature", temperature);
        OptionChecks.notNegative("--length", length);
        OptionChecks.positive("--workers", workers);
        if (workers > batch) {
            throw new IllegalArgumentException("--workers " + workers + " is more than the " + batch
                    + " streams of a batch; each worker needs at least one (lower --workers or raise --batch)");
        }
        precision.dtype();
    }
}
