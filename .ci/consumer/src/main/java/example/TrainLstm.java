package example;

import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.optim.Adam;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.sample.Sampler;
import dev.unroll.rnn.tbptt.ParallelStreams;
import java.util.Arrays;

/** Trains a character LSTM on one sentence, then prints the sentence as the model recalls it. */
public class TrainLstm {

    /** @param args none */
    public static void main(String[] args) {
        String text = "the quick brown fox jumps over the lazy dog", vocab = " abcdefghijklmnopqrstuvwxyz";
        ParallelStreams data = new ParallelStreams(text.chars().map(vocab::indexOf).toArray(), 1);  // one sequence
        int[][] inputs = data.inputs(0, data.length()), targets = data.targets(0, data.length());  // [t][batch]
        LanguageModel model = LanguageModel.lstm(vocab.length(), 16, 64, 1, 42);  // embedding 16, hidden 64, seed 42
        Adam adam = new Adam(model, 0.01);
        for (int step = 0; step < 200; step++) {
            model.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor loss = model.loss(inputs, targets, null, Reduction.MEAN).loss();
                tape.backward(loss);                              // backpropagation through time
            }
            adam.step();
        }
        int[] recalled = Sampler.argmax(model).generate(new int[] {inputs[0][0]}, data.length(), Sampler.NO_END);
        System.out.println(text.charAt(0) + new String(Arrays.stream(recalled).map(vocab::charAt).toArray(), 0, recalled.length));
    }
}
