package dev.unroll.autograd;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Where the arrays of one tape live and how long: the values of recorded ops, the activations
 * ops keep for their backward step ({@link #scratch(int)}), and the gradients of intermediate
 * tensors. It is the one owner of their lifetimes:
 * <ul>
 *   <li>a recorded value lives until its tape is {@linkplain Tape#clear() cleared}, which hands
 *       its array to the next iteration's ops (reading the tensor afterwards throws); a
 *       {@linkplain Tensor#detach() detached} tensor pins its array, and closing a tape
 *       recycles nothing, so values stay readable after a {@code try (Tape t = ...)} block;</li>
 *   <li>an intermediate's gradient lives from the first backward step that adds into it until
 *       its own step has run, then serves the next gradient of the same length;</li>
 *   <li>a leaf's gradient (a parameter's) is a plain array that lives with the leaf.</li>
 * </ul>
 * A training loop that records the same graph on one cleared tape therefore allocates (almost)
 * nothing after its first iteration. The free arrays of a closed tape go to the next tape the
 * same thread opens, so a loop that opens one tape per iteration still reuses its gradients.
 * Outside any tape, values are plain new arrays. Each storage belongs to one tape, and so to one
 * thread.
 */
public final class Storage {

    /** The free arrays a closed tape left to the next tape of its thread. */
    private static final ThreadLocal<Storage> SPARE = new ThreadLocal<>();

    /** Free arrays for values and saved activations (filled by clear). */
    private final ArrayPoolF64 free64 = new ArrayPoolF64();
    private final ArrayPoolF32 free32 = new ArrayPoolF32();
    /** Free gradient arrays (filled as backward releases intermediates), kept apart so values never drain them. */
    private final ArrayPoolF64 gradients64 = new ArrayPoolF64();
    private final ArrayPoolF32 gradients32 = new ArrayPoolF32();
    private double[][] scratch64 = new double[16][];
    private float[][] scratch32 = new float[16][];
    private int scratchCount64;
    private int scratchCount32;
    private int recycledBelow;

    private Storage() {
    }

    /** @return storage for a tape opening on this thread, holding the free arrays of the last one closed */
    static Storage open() {
        Storage storage = new Storage();
        Storage spare = SPARE.get();
        if (spare != null) {
            SPARE.remove();
            storage.free64.takeAll(spare.free64);
            storage.free32.takeAll(spare.free32);
            storage.gradients64.takeAll(spare.gradients64);
            storage.gradients32.takeAll(spare.gradients32);
        }
        return storage;
    }

    /** The tape closed: its free arrays wait for the thread's next tape; recorded values stay as they are. */
    void close() {
        forgetScratch();
        SPARE.set(this);
    }

    // ------------------------------------------------------------------------------ values

    /**
     * An array for a new value of {@code length} doubles: recycled when the active tape has one
     * free, else new.
     *
     * @param length the number of elements
     * @param zeroed whether it must hold zeros (else every element will be written)
     */
    static double[] valueF64(int length, boolean zeroed) {
        Tape tape = Tape.active();
        return tape == null ? new double[length] : tape.storage().free64.take(length, zeroed);
    }

    /** Like {@link #valueF64(int, boolean)} for floats. */
    static float[] valueF32(int length, boolean zeroed) {
        Tape tape = Tape.active();
        return tape == null ? new float[length] : tape.storage().free32.take(length, zeroed);
    }

    /**
     * A zeroed array for values an op keeps for its backward step (saved activations), for
     * authors of ops. While a tape is open it is recycled at that tape's next {@link Tape#clear()},
     * so only the op's forward and its backward step may use it; with no tape open it is a
     * plain new array.
     *
     * @param length the number of values
     * @return a zeroed array of that length
     */
    public static double[] scratch(int length) {
        Tape tape = Tape.active();
        if (tape == null) {
            return new double[length];
        }
        Storage s = tape.storage();
        double[] array = s.free64.take(length, true);
        if (s.scratchCount64 == s.scratch64.length) {
            s.scratch64 = Arrays.copyOf(s.scratch64, 2 * s.scratchCount64);
        }
        s.scratch64[s.scratchCount64++] = array;
        return array;
    }

    /**
     * Like {@link #scratch(int)} for a float32 op.
     *
     * @param length the number of values
     * @return a zeroed array of that length
     */
    public static float[] scratchF32(int length) {
        Tape tape = Tape.active();
        if (tape == null) {
            return new float[length];
        }
        Storage s = tape.storage();
        float[] array = s.free32.take(length, true);
        if (s.scratchCount32 == s.scratch32.length) {
            s.scratch32 = Arrays.copyOf(s.scratch32, 2 * s.scratchCount32);
        }
        s.scratch32[s.scratchCount32++] = array;
        return array;
    }

    /**
     * The tape is being cleared: every recorded value not pinned by a detached tensor, and every
     * scratch array, becomes free for the next generation's ops.
     *
     * @param outputs the recorded outputs of the generation that ends
     * @param count how many there are
     * @param generation the generation that ends
     */
    void recycle(Tensor[] outputs, int count, int generation) {
        // An array must reach the pool once: two outputs of a hand-written op may share storage.
        Set<Object> given = Collections.newSetFromMap(new IdentityHashMap<>(2 * (count + scratchCount64 + scratchCount32)));
        for (int i = 0; i < count; i++) {
            Tensor t = outputs[i];
            if (!t.isPinned() && given.add(t.storageArray())) {
                if (t.dtype() == DType.F64) {
                    free64.give(t.data());
                } else {
                    free32.give(t.dataF32());
                }
            }
        }
        for (int i = 0; i < scratchCount64; i++) {
            if (given.add(scratch64[i])) {
                free64.give(scratch64[i]);
            }
        }
        for (int i = 0; i < scratchCount32; i++) {
            if (given.add(scratch32[i])) {
                free32.give(scratch32[i]);
            }
        }
        forgetScratch();
        recycledBelow = generation + 1;
    }

    private void forgetScratch() {
        Arrays.fill(scratch64, 0, scratchCount64, null);
        Arrays.fill(scratch32, 0, scratchCount32, null);
        scratchCount64 = 0;
        scratchCount32 = 0;
    }

    /**
     * @param t a tensor recorded on this storage's tape
     * @return whether its array was handed to a later generation
     */
    boolean recycled(Tensor t) {
        return t.recordedGeneration() < recycledBelow && !t.isPinned();
    }

    // ------------------------------------------------------------------------------ gradients

    /** @return a zeroed gradient array for an intermediate tensor, recycled when one is free */
    double[] gradientF64(int length) {
        return gradients64.take(length, true);
    }

    /** @return a zeroed float gradient array for an intermediate tensor */
    float[] gradientF32(int length) {
        return gradients32.take(length, true);
    }

    /** Takes back the gradient of an intermediate whose backward step has run. */
    void release(double[] gradient) {
        gradients64.give(gradient);
    }

    /** Takes back a float gradient of an intermediate whose backward step has run. */
    void release(float[] gradient) {
        gradients32.give(gradient);
    }
}
