package dev.unroll.nn.init;

import dev.unroll.autograd.Tensor;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * Weight initialisers, as {@code torch.nn.init}. Each fills a tensor in place (call it outside
 * any tape) and returns it; each random one takes a {@link RandomGenerator}, so the same seed
 * gives the same bits. For a 2-D weight stored out x in, fan-in is its columns and fan-out its rows.
 */
public final class Init {

    private Init() {
    }

    /**
     * Sets every element to 0.
     *
     * @param t the tensor to fill
     * @param <T> its type
     * @return {@code t}
     */
    public static <T extends Tensor> T zeros(T t) {
        return constant(t, 0.0);
    }

    /**
     * Sets every element to {@code value}.
     *
     * @param t the tensor to fill
     * @param value the value
     * @param <T> its type
     * @return {@code t}
     */
    public static <T extends Tensor> T constant(T t, double value) {
        double[] d = staging(t);
        java.util.Arrays.fill(d, value);
        return commit(t, d);
    }

    /**
     * Fills with draws from U(low, high).
     *
     * @param t the tensor to fill
     * @param low lower bound
     * @param high upper bound
     * @param rng the generator
     * @param <T> its type
     * @return {@code t}
     */
    public static <T extends Tensor> T uniform(T t, double low, double high, RandomGenerator rng) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("Init.uniform: low " + low + " is greater than high " + high);
        }
        double[] d = staging(t);
        for (int i = 0; i < d.length; i++) {
            d[i] = low + (high - low) * rng.nextDouble();
        }
        return commit(t, d);
    }

    /**
     * Fills with draws from N(mean, std^2).
     *
     * @param t the tensor to fill
     * @param mean the mean
     * @param std the standard deviation
     * @param rng the generator
     * @param <T> its type
     * @return {@code t}
     */
    public static <T extends Tensor> T normal(T t, double mean, double std, RandomGenerator rng) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("Init.normal: standard deviation " + std + " is negative");
        }
        double[] d = staging(t);
        for (int i = 0; i < d.length; i++) {
            d[i] = mean + std * rng.nextGaussian();
        }
        return commit(t, d);
    }

    /**
     * Xavier/Glorot uniform: U(-a, a) with a = gain sqrt(6 / (fanIn + fanOut)).
     *
     * @param t the weight, out x in
     * @param gain the gain, e.g. {@link Nonlinearity#gain()}
     * @param rng the generator
     * @param <T> its type
     * @return {@code t}
     */
    public static <T extends Tensor> T xavierUniform(T t, double gain, RandomGenerator rng) {
        double a = gain * Math.sqrt(6.0 / (t.cols() + t.rows()));
        return uniform(t, -a, a, rng);
    }

    /**
     * Xavier/Glorot normal: N(0, std^2) with std = gain sqrt(2 / (fanIn + fanOut)).
     *
     * @param t the weight, out x in
     * @param gain the gain
     * @param rng the generator
     * @param <T> its type
     * @return {@code t}
     */
    public static <T extends Tensor> T xavierNormal(T t, double gain, RandomGenerator rng) {
        return normal(t, 0.0, gain * Math.sqrt(2.0 / (t.cols() + t.rows())), rng);
    }

    /**
     * Kaiming/He uniform: U(-b, b) with b = gain sqrt(3 / fan).
     *
     * @param t the weight, out x in
     * @param fan which fan to preserve
     * @param nonlinearity the activation that follows, giving the gain
     * @param rng the generator
     * @param <T> its type
     * @return {@code t}
     */
    public static <T extends Tensor> T kaimingUniform(T t, Fan fan, Nonlinearity nonlinearity, RandomGenerator rng) {
        double b = nonlinearity.gain() * Math.sqrt(3.0 / fan(t, fan));
        return uniform(t, -b, b, rng);
    }

    /**
     * Kaiming/He normal: N(0, std^2) with std = gain / sqrt(fan).
     *
     * @param t the weight, out x in
     * @param fan which fan to preserve
     * @param nonlinearity the activation that follows, giving the gain
     * @param rng the generator
     * @param <T> its type
     * @return {@code t}
     */
    public static <T extends Tensor> T kaimingNormal(T t, Fan fan, Nonlinearity nonlinearity, RandomGenerator rng) {
        return normal(t, 0.0, nonlinearity.gain() / Math.sqrt(fan(t, fan)), rng);
    }

    private static int fan(Tensor t, Fan fan) {
        return fan == Fan.IN ? t.cols() : t.rows();
    }

    /**
     * A (semi-)orthogonal matrix times {@code gain}, as {@code torch.nn.init.orthogonal_}: the Q
     * of the QR decomposition of a Gaussian matrix, with signs fixed by R's diagonal so the
     * result is uniformly distributed. Rows are orthonormal when rows &lt;= cols, columns otherwise.
     * The usual choice for recurrent matrices: all singular values equal {@code gain}.
     *
     * @param t the weight to fill
     * @param gain the scale
     * @param rng the generator
     * @param <T> its type
     * @return {@code t}
     */
    public static <T extends Tensor> T orthogonal(T t, double gain, RandomGenerator rng) {
        boolean wide = t.rows() < t.cols();
        int tall = Math.max(t.rows(), t.cols());
        int narrow = Math.min(t.rows(), t.cols());
        DMatrixRMaj a = new DMatrixRMaj(tall, narrow);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = rng.nextGaussian();
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(tall, narrow);
        if (!qr.decompose(a)) {
            throw new IllegalStateException("Init.orthogonal: QR decomposition failed");
        }
        DMatrixRMaj q = qr.getQ(null, true);
        DMatrixRMaj r = qr.getR(null, true);
        for (int c = 0; c < narrow; c++) {
            double sign = r.get(c, c) < 0 ? -gain : gain;
            for (int row = 0; row < tall; row++) {
                q.set(row, c, q.get(row, c) * sign);
            }
        }
        DMatrixRMaj out = DMatrixRMaj.wrap(t.rows(), t.cols(), staging(t));
        if (wide) {
            CommonOps_DDRM.transpose(q, out);
        } else {
            out.setTo(q);
        }
        return commit(t, out.data);
    }

    /**
     * A scaled identity {@code scale * I} (Le et al.'s IRNN initialisation of a ReLU RNN's
     * recurrent matrix).
     *
     * @param t a square weight
     * @param scale the diagonal value
     * @param <T> its type
     * @return {@code t}
     */
    public static <T extends Tensor> T scaledIdentity(T t, double scale) {
        if (t.rows() != t.cols()) {
            throw new IllegalArgumentException("Init.scaledIdentity: the weight is " + t.shape()
                    + "; an identity needs a square matrix");
        }
        double[] d = staging(t);
        java.util.Arrays.fill(d, 0);
        for (int i = 0; i < t.rows(); i++) {
            d[i * t.cols() + i] = scale;
        }
        return commit(t, d);
    }

    /**
     * Where an initializer computes its values: the tensor's own array for float64, a double
     * array for float32 (the same draws, then rounded), so a seed gives the same values in both.
     */
    private static double[] staging(Tensor t) {
        return t.isF32() ? new double[t.size()] : t.data();
    }

    /** Writes the computed values into a float32 tensor (float64 ones were filled in place). */
    private static <T extends Tensor> T commit(T t, double[] values) {
        if (t.isF32()) {
            float[] f = t.dataF32();
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
        }
        return t;
    }
}
