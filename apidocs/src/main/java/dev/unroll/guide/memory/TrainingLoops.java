package dev.unroll.guide.memory;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.optim.Optimizer;
import dev.unroll.rnn.model.LanguageModel;

/**
 * The two training loops of the guide {@link dev.unroll.guide.memory}, over a language model and
 * one batch of token sequences ({@code [t][batch]}).
 */
public final class TrainingLoops {

    private TrainingLoops() {
    }

    /**
     * A tape per iteration: the simplest loop; values stay readable after each block.
     *
     * @param model the model to train
     * @param optimizer its optimizer
     * @param inputs input tokens, [t][batch]
     * @param targets target tokens, [t][batch]
     * @param iterations how many updates
     * @return the last iteration's loss
     */
    public static double tapePerIteration(LanguageModel model, Optimizer optimizer, int[][] inputs, int[][] targets,
            int iterations) {
        double last = Double.NaN;
        // guide:begin
        for (int i = 0; i < iterations; i++) {
            model.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor loss = model.loss(inputs, targets, null, Reduction.MEAN).loss();
                tape.backward(loss);
                last = loss.item();
            }   // close(): the values stay readable; the free gradient arrays go to the next tape
            optimizer.step();   // parameters change after backward, before the next recording
        }
        // guide:end
        return last;
    }

    /**
     * One tape, cleared after every iteration: each iteration takes its values, saved activations
     * and gradients from the previous one's, so after the first it allocates almost nothing.
     *
     * @param model the model to train
     * @param optimizer its optimizer
     * @param inputs input tokens, [t][batch]
     * @param targets target tokens, [t][batch]
     * @param iterations how many updates
     * @return the last iteration's loss
     */
    public static double oneClearedTape(LanguageModel model, Optimizer optimizer, int[][] inputs, int[][] targets,
            int iterations) {
        double last = Double.NaN;
        // guide:begin
        try (Tape tape = Tape.record()) {
            for (int i = 0; i < iterations; i++) {
                model.zeroGrad();
                Tensor loss = model.loss(inputs, targets, null, Reduction.MEAN).loss();
                tape.backward(loss);
                last = loss.item();   // read what you need before clear(); detach() what you carry over
                tape.clear();         // recycles this iteration's storage for the next one
                optimizer.step();
            }
        }
        // guide:end
        return last;
    }
}
