package dev.unroll.samples.programs;

import java.nio.file.Path;
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
}
