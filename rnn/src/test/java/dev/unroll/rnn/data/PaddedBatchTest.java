package dev.unroll.rnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Reduction;
import dev.unroll.rnn.loss.SequenceLoss;
import dev.unroll.rnn.model.LanguageModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaddedBatchTest {

    @Test
    void padsTimeMajorAsPadSequenceDoes() {
        // torch.nn.utils.rnn.pad_sequence([tensor([5,6,7]), tensor([8]), tensor([9,4])], padding_value=0)
        // is [[5, 8, 9], [6, 0, 4], [7, 0, 0]]
        PaddedBatch batch = PaddedBatch.of(List.of(new int[] {5, 6, 7}, new int[] {8}, new int[] {9, 4}), 0);
        assertArrayEquals(new int[][] {{5, 8, 9}, {6, 0, 4}, {7, 0, 0}}, batch.tokens());
        assertArrayEquals(new int[] {3, 1, 2}, batch.lengths());
        assertEquals(3, batch.steps());
        assertEquals(3, batch.batch());
        assertEquals(3, batch.paddedPositions());
        assertTrue(batch.mask().counts(2, 0));
        assertFalse(batch.mask().counts(1, 1));
        assertTrue(batch.mask().counts(1, 2));
        assertEquals(6, batch.mask().count());
    }

    @Test
    void theAccessorsReturnCopies() {
        PaddedBatch batch = PaddedBatch.of(List.of(new int[] {1, 2}), 0);
        batch.tokens()[0][0] = 99;
        batch.lengths()[0] = 7;
        assertEquals(1, batch.tokens()[0][0]);
        assertEquals(2, batch.lengths()[0]);
    }

    @Test
    void nextTokensShiftByOneAndMaskEachSequencesPredictions() {
        PaddedBatch.NextTokens next = PaddedBatch.of(List.of(new int[] {2, 5, 6, 3}, new int[] {2, 7, 3}), 0).nextTokens();
        assertArrayEquals(new int[][] {{2, 2}, {5, 7}, {6, 3}}, next.inputs());
        assertArrayEquals(new int[][] {{5, 7}, {6, 3}, {3, 0}}, next.targets());
        assertEquals(5, next.mask().count());
        assertFalse(next.mask().counts(2, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PaddedBatch.of(List.of(new int[] {2, 3}, new int[] {2}), 0).nextTokens());
        assertTrue(e.getMessage().contains("sequence 1"), e.getMessage());
    }

    @Test
    void thePaddedMaskedLossEqualsTheLossesOfTheSequencesAlone() {
        LanguageModel model = LanguageModel.lstm(8, 4, 6, 1, 11);
        List<int[]> sequences = List.of(new int[] {2, 5, 6, 7, 3}, new int[] {2, 4, 3}, new int[] {2, 6, 6, 3});
        PaddedBatch.NextTokens batch = PaddedBatch.of(sequences, WordVocabulary.PAD_ID).nextTokens();
        double padded = SequenceLoss.crossEntropy(model.forward(batch.inputs(), null).logits(), batch.targets(),
                batch.mask(), Reduction.SUM).item();
        double alone = 0;
        for (int[] s : sequences) {
            PaddedBatch.NextTokens one = PaddedBatch.of(List.of(s), 0).nextTokens();
            alone += model.loss(one.inputs(), one.targets(), null, Reduction.SUM).loss().item();
        }
        assertEquals(alone, padded, 1e-12);
    }

    @Test
    void refusesEmptyInputNamingIt() {
        assertThrows(IllegalArgumentException.class, () -> PaddedBatch.of(List.of(), 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PaddedBatch.of(List.of(new int[] {1}, new int[0]), 0));
        assertTrue(e.getMessage().contains("sequence 1 is empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PaddedBatch.of(List.of(new int[] {1}), new int[] {1}, 0));
    }
}
