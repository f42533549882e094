package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Reduction;
import dev.unroll.rnn.model.LanguageModel;
import dev.unroll.rnn.tbptt.ParallelStreams;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainLstmTest {

    private static final String TEXT = "the quick brown fox jumps over the lazy dog";
    private static final String VOCAB = " abcdefghijklmnopqrstuvwxyz";

    /** The mean cross-entropy of predicting each next character of the sentence. */
    private static double loss(LanguageModel model) {
        ParallelStreams data = new ParallelStreams(TEXT.chars().map(VOCAB::indexOf).toArray(), 1);
        return model.loss(data.inputs(0, data.length()), data.targets(0, data.length()), null, Reduction.MEAN)
                .loss().item();
    }

    @Test
    void theReadmeExampleTrainsWhenUnrollIsUsedAsADependency() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LanguageModel trained;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            trained = TrainLstm.train();
        } finally {
            System.setOut(stdout);
        }
        double before = loss(LanguageModel.lstm(VOCAB.length(), 16, 64, 1, 42));  // the example's untrained model
        double after = loss(trained);
        assertTrue(before > 3.0, "an untrained model should be near uniform over 27 characters (ln 27 = 3.30): " + before);
        assertTrue(after < before / 20, "the loss should fall at least twentyfold in 200 steps, but went " + before
                + " -> " + after);
        assertEquals(TEXT, printed.toString(StandardCharsets.UTF_8).strip(), "the trained model should recall the sentence");
    }
}
