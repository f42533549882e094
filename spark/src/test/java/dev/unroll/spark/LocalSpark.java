package dev.unroll.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The one Spark context of this module's tests (starting one takes seconds): local mode with two
 * task threads and two attempts per task ({@code local[2,2]}: in local mode the master sets the
 * retries, not {@code spark.task.maxFailures}), bound to loopback, without the UI. Spark stops it
 * when the test JVM exits.
 */
final class LocalSpark {

    private static JavaSparkContext context;

    private LocalSpark() {
    }

    static synchronized JavaSparkContext context() {
        if (context == null) {
            SparkConf conf = new SparkConf()
                    .setMaster("local[2,2]")
                    .setAppName("unroll-spark-tests")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.ui.enabled", "false");
            context = new JavaSparkContext(conf);
        }
        return context;
    }
}
