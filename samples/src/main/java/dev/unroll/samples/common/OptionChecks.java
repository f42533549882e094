package dev.unroll.samples.common;

/**
 * Checks of command-line values, run before anything is trained: each refusal names the option,
 * the value given and what it must be.
 */
public final class OptionChecks {

    private OptionChecks() {
    }

    /**
     * @param option the option, e.g. {@code --iterations}
     * @param value its value
     * @throws IllegalArgumentException unless the value is at least 1
     */
    public static void positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " " + value + " must be at least 1");
        }
    }

    /**
     * Refuses {@code --spark} when Apache Spark is not on the class path (the samples' jar leaves
     * it out, as it is a provided dependency).
     *
     * @throws IllegalArgumentException naming the two ways to run with Spark
     */
    public static void sparkOnClassPath() {
        try {
            Class.forName("org.apache.spark.SparkContext", false, OptionChecks.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--spark: Apache Spark is not on the class path (the samples' jar leaves "
                    + "it out); run ./unroll with --spark, which adds it, or spark-submit (see the README's section on "
                    + "scaling out)");
        }
    }

    /**
     * @param option the option
     * @param value its value
     * @throws IllegalArgumentException if the value is negative
     */
    public static void notNegative(String option, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(option + " " + value + " must be 0 or more");
        }
    }

    /**
     * @param option the option, e.g. {@code --warmup-seconds}
     * @param value its value
     * @throws IllegalArgumentException unless the value is a finite number of 0 or more
     */
    public static void notNegative(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " " + value + " must be a number of 0 or more");
        }
    }

    /**
     * @param option the option, e.g. {@code --lr}
     * @param value its value
     * @throws IllegalArgumentException unless the value is a finite number above 0
     */
    public static void positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " " + value + " must be a number above 0");
        }
    }

    /**
     * The iteration total every training program takes.
     *
     * @param iterations the value of {@code --iterations}
     * @throws IllegalArgumentException unless it is at least 1
     */
    public static void iterations(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations " + iterations + " must be at least 1: it is the total "
                    + "to reach, counting the iterations of a --resume checkpoint");
        }
    }
}
