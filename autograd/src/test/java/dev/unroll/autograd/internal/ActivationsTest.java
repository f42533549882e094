package dev.unroll.autograd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every activation kernel that can run here gives {@link PortableMath}'s bits, lane by lane and
 * in the tail that does not fill a vector, at every offset, and writes only its destination range.
 */
class ActivationsTest {

    private static double[] sample(int n, SplittableRandom rng) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double magnitude = switch (i % 3) {
                case 0 -> rng.nextDouble(0, 25);
                case 1 -> Math.scalb(rng.nextDouble(), -rng.nextInt(40));
                default -> Math.scalb(1.0, rng.nextInt(-1074, 11));
            };
            x[i] = rng.nextBoolean() ? -magnitude : magnitude;
        }
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 800, -800,
            -745, Double.MIN_VALUE, PortableMath.TANH_SMALL, -PortableMath.TANH_SMALL};
        System.arraycopy(special, 0, x, 5, special.length);
        return x;
    }

    @Test
    void everyKernelGivesThePortableBitsOfTanhAtEveryOffsetAndLength() {
        double[] x = sample(20_003, new SplittableRandom(1));
        for (ActivationKernel kernel : Activations.available()) {
            for (int length : new int[] {0, 1, 3, 4, 7, 8, 9, 17, x.length - 2}) {
                double[] out = new double[x.length + 3];
                kernel.tanh(x, 2, out, 3, length);
                for (int i = 0; i < length; i++) {
                    assertEquals(Double.doubleToRawLongBits(PortableMath.tanh(x[i + 2])),
                            Double.doubleToRawLongBits(out[i + 3]), kernel.name() + ": tanh(" + x[i + 2] + ")");
                }
                assertEquals(0.0, out[0] + out[1] + out[2], kernel.name() + " wrote before the destination range");
                assertEquals(0.0, length + 3 < out.length ? out[length + 3] : 0.0, kernel.name() + " wrote past it");
            }
        }
    }

    @Test
    void everyKernelGivesThePortableBitsOfSigmoidInPlace() {
        double[] x = sample(20_001, new SplittableRandom(2));
        for (ActivationKernel kernel : Activations.available()) {
            double[] out = x.clone();
            kernel.sigmoid(out, 1, out, 1, out.length - 1);
            assertEquals(x[0], out[0], kernel.name() + " wrote before the range");
            for (int i = 1; i < x.length; i++) {
                assertEquals(Double.doubleToRawLongBits(PortableMath.sigmoid(x[i])), Double.doubleToRawLongBits(out[i]),
                        kernel.name() + ": sigmoid(" + x[i] + ")");
            }
        }
    }

    @Test
    void theScalarSigmoidOfOneValueIsTheKernels() {
        for (double v : sample(1000, new SplittableRandom(3))) {
            assertEquals(PortableMath.sigmoid(v), Activations.sigmoid(v), 0.0);
        }
    }

    @Test
    void everyKernelGivesThePortableFloatBitsAtEveryOffsetAndLengthInPlaceOrNot() {
        double[] wide = sample(20_011, new SplittableRandom(4));
        float[] x = new float[wide.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) wide[i];
        }
        for (ActivationKernel kernel : Activations.available()) {
            for (int length : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 33, x.length - 2}) {
                float[] out = new float[x.length + 3];
                kernel.tanh(x, 2, out, 3, length);
                float[] inPlace = x.clone();
                kernel.sigmoid(inPlace, 2, inPlace, 2, length);
                for (int i = 0; i < length; i++) {
                    assertEquals(Float.floatToRawIntBits(PortableMathF32.tanh(x[i + 2])),
                            Float.floatToRawIntBits(out[i + 3]), kernel.name() + ": tanh(" + x[i + 2] + ")");
                    assertEquals(Float.floatToRawIntBits(PortableMathF32.sigmoid(x[i + 2])),
                            Float.floatToRawIntBits(inPlace[i + 2]), kernel.name() + ": sigmoid(" + x[i + 2] + ")");
                }
                assertEquals(0f, out[0] + out[1] + out[2], kernel.name() + " wrote before the destination range");
                assertEquals(0f, length + 3 < out.length ? out[length + 3] : 0f, kernel.name() + " wrote past it");
                assertEquals(x[1], inPlace[1], kernel.name() + " wrote before the range in place");
            }
        }
    }
}
