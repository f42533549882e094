package example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainLstmTest {

    @Test
    void theLossFallsWhenUnrollIsUsedAsADependency() {
        List<Double> losses = TrainLstm.train("the quick brown fox jumps over the lazy dog", 60);
        double first = losses.get(0);
        double last = losses.get(losses.size() - 1);
        assertTrue(last < first / 4, "the loss should fall at least fourfold in 60 steps, but went " + first + " -> " + last);
    }
}
