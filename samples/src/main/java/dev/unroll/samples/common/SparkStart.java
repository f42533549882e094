package dev.unroll.samples.common;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Starts (or, under spark-submit, joins) the Spark context of a sample's {@code --spark MASTER}:
 * the master is {@code MASTER} unless spark-submit set one; a {@code local} master binds the driver
 * to loopback (127.0.0.1) and starts no web UI, so nothing listens beyond this machine.
 */
public final class SparkStart {

    private SparkStart() {
    }

    /**
     * @param app the application's name
     * @param master the master URL, e.g. {@code local[2]}
     * @return the context; stop it when done
     */
    public static JavaSparkContext context(String app, String master) {
        SparkConf conf = new SparkConf().setAppName(app).setIfMissing("spark.master", master);
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1")
                    .setIfMissing("spark.ui.enabled", "false");
        }
        return JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
    }
}
