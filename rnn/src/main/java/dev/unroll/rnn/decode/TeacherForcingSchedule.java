package dev.unroll.rnn.decode;

/**
 * The teacher-forcing ratio of scheduled sampling at each training iteration: the probability
 * that a decoder step reads the ground-truth previous token rather than the model's own
 * prediction. Bengio et al. 2015 (section 2.4) decay it from 1 towards 0 in one of three ways,
 * for iteration i:
 * <pre>
 * linear:          eps_i = max(eps, k - c i)      (0 &lt;= eps &lt; 1, k &lt;= 1, c &gt; 0)
 * exponential:     eps_i = k^i                    (0 &lt; k &lt; 1)
 * inverse sigmoid: eps_i = k / (k + exp(i / k))   (k &gt;= 1)
 * </pre>
 */
@FunctionalInterface
public interface TeacherForcingSchedule {

    /**
     * @param iteration the training iteration i, from 0
     * @return the teacher-forcing ratio eps_i in [0, 1]
     */
    double ratio(long iteration);

    /**
     * @param ratio the ratio at every iteration, in [0, 1]; 1 is plain teacher forcing
     * @return the constant schedule
     */
    static TeacherForcingSchedule constant(double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("TeacherForcingSchedule.constant: ratio " + ratio + " must be in [0, 1]");
        }
        return i -> ratio;
    }

    /**
     * @param k the ratio at iteration 0, in (0, 1]
     * @param c the decrease per iteration, positive
     * @param floor eps, the lowest ratio, in [0, 1)
     * @return max(floor, k - c i)
     */
    static TeacherForcingSchedule linear(double k, double c, double floor) {
        if (!(k > 0 && k <= 1) || !(c > 0) || !(floor >= 0 && floor < 1)) {
            throw new IllegalArgumentException("TeacherForcingSchedule.linear: k " + k + " must be in (0, 1], c " + c
                    + " positive and the floor " + floor + " in [0, 1)");
        }
        return i -> Math.max(floor, k - c * i);
    }

    /**
     * @param k the factor per iteration, in (0, 1)
     * @return k^i
     */
    static TeacherForcingSchedule exponential(double k) {
        if (!(k > 0 && k < 1)) {
            throw new IllegalArgumentException("TeacherForcingSchedule.exponential: k " + k + " must be in (0, 1)");
        }
        return i -> Math.pow(k, i);
    }

    /**
     * @param k at least 1: the larger, the later the ratio falls (it is 1/2 at i = k ln k)
     * @return k / (k + exp(i / k))
     */
    static TeacherForcingSchedule inverseSigmoid(double k) {
        if (!(k >= 1) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("TeacherForcingSchedule.inverseSigmoid: k " + k + " must be finite and "
                    + "at least 1");
        }
        return i -> k / (k + Math.exp(i / k));
    }
}
