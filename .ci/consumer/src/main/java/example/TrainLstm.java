package example;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.clip.GradClipping;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.sample.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Trains a character LSTM on one sentence, as a project that depends on Unroll would. */
public final class TrainLstm {

    private TrainLstm() {
    }

    /** Prints the loss every 50 steps, then the sentence as the trained model recalls it. */
    public static void main(String[] args) {
        List<Double> losses = train("the quick brown fox jumps over the lazy dog", 200);
        System.out.printf("loss %.3f -> %.3f%n", losses.get(0), losses.get(losses.size() - 1));
    }

    /** Trains for the given steps and returns the loss of every step. */
    static List<Double> train(String text, int steps) {
        // readme:begin
        String vocab = text.chars().distinct().sorted().collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append).toString();
        int[][] inputs = new int[text.length() - 1][1], targets = new int[text.length() - 1][1];
        for (int t = 0; t + 1 < text.length(); t++) {           // tokens[t][b]: one sequence, b = 0
            inputs[t][0] = vocab.indexOf(text.charAt(t));
            targets[t][0] = vocab.indexOf(text.charAt(t + 1));
        }
        LanguageModel model = LanguageModel.lstm(vocab.length(), 16, 64, 1, 42);  // embedding 16, hidden 64
        Adam adam = new Adam(model, 0.01);
        List<Double> losses = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            model.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor loss = model.loss(inputs, targets, null, Reduction.MEAN).loss();
                tape.backward(loss);                             // backpropagation through time
                losses.add(loss.item());
            }
            GradClipping.clipGradNorm(model.parameters(), 5.0);
            adam.step();
        }
        int[] recalled = Sampler.argmax(model).generate(new int[] {inputs[0][0]}, text.length() - 1, Sampler.NO_END);
        System.out.println(text.charAt(0) + Arrays.stream(recalled)
                .mapToObj(id -> String.valueOf(vocab.charAt(id))).collect(Collectors.joining()));
        // readme:end
        return losses;
    }
}
