package dev.unroll.autograd;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Seeded random generators. Unroll has no hidden global randomness: every initializer, dropout
 * and sampler takes a seed or a {@link RandomGenerator}, and the same seed gives the same bits.
 */
public final class Randomness {

    private Randomness() {
    }

    /**
     * A fresh generator whose whole sequence is determined by {@code seed}.
     *
     * @param seed any value; equal seeds give equal sequences
     * @return a new {@link SplittableRandom} seeded with {@code seed}
     */
    public static RandomGenerator seeded(long seed) {
        return new SplittableRandom(seed);
    }
}
