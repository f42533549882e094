package dev.unroll.nn.checkpoint;

import dev.unroll.nn.layers.Linear;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Loads a checkpoint into a Linear(2, 3), skipping what else it holds, and prints the weights: run in a small heap. */
public final class LoadInSmallHeap {

    private LoadInSmallHeap() {
    }

    /**
     * @param args the checkpoint's path
     * @throws IOException if it cannot be read
     */
    public static void main(String[] args) throws IOException {
        Linear layer = new Linear(2, 3, 7);
        Checkpoint.load(Path.of(args[0]), layer, null, LoadOptions.strict().allowingUnexpected());
        System.out.println(Arrays.toString(layer.weight().data()) + Arrays.toString(layer.bias().data()));
    }
}
