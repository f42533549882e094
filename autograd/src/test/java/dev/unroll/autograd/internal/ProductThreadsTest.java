package dev.unroll.autograd.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Jobs handed to the worker with {@link ProductThreads#later} run one at a time in the order
 * given, off the caller's thread, and a product inside one computes there alone; a
 * {@link ResidentSumF64} fed that way has the bits of the same products run at once.
 */
class ProductThreadsTest {

    @Test
    void laterJobsRunInTheOrderGivenOnOneWorker() {
        assumeTrue(ProductThreads.threads() > 1, "needs a worker thread");
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        ResidentSumF64 done = new ResidentSumF64();
        for (int i = 0; i < 50; i++) {
            int job = i;
            ProductThreads.later(() -> {
                order.add(job);
                threads.add(Thread.currentThread());
            });
        }
        DMatrixRMaj c = new DMatrixRMaj(64, 64);
        done.attach(c);
        done.accumulateLater(random(64, 64, 1), false, random(64, 64, 2), false);
        done.writeBack();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);
        assertNotSame(Thread.currentThread(), threads.get(0));
        for (Thread t : threads) {
            assertSame(threads.get(0), t);
        }
    }

    @Test
    void aJobRunInsideAChunkOfAnotherIsComputedWholeByThatChunksThread() {
        assumeTrue(ProductThreads.threads() > 1, "needs a worker thread");
        int outer = 2;
        int inner = 8;
        AtomicIntegerArray runs = new AtomicIntegerArray(outer * inner);
        Thread[][] ranOn = new Thread[outer][inner];
        for (int round = 0; round < 200; round++) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ProductThreads.run(o -> {
                Thread chunkThread = Thread.currentThread();
                ProductThreads.run(i -> {
                    runs.incrementAndGet(o * inner + i);
                    ranOn[o][i] = Thread.currentThread();
                }, inner, 1L << 30);
                for (int i = 0; i < inner; i++) {
                    assertSame(chunkThread, ranOn[o][i], "the nested job stays on the thread of its chunk");
                }
            }, outer, 1L << 30), "a job inside a chunk of another must not wait for the workers the outer job holds");
        }
        for (int k = 0; k < outer * inner; k++) {
            assertEquals(200, runs.get(k), "every nested chunk computed once a round");
        }
    }

    @Test
    void productsRunLaterHaveTheBitsOfProductsRunAtOnce() {
        DMatrixRMaj expected = random(256, 192, 3);
        DMatrixRMaj later = expected.copy();
        ResidentSumF64 sum = new ResidentSumF64();
        sum.attach(later);
        for (int i = 0; i < 6; i++) {
            DMatrixRMaj a = random(300, 256, 10 + i);
            DMatrixRMaj b = random(300, 192, 20 + i);
            ProductsF64.mult(a, true, b, false, expected, true);
            sum.accumulateLater(a, true, b, false);
        }
        sum.writeBack();
        assertArrayEquals(expected.data, later.data);
    }

    @Test
    void aFailedProductIsReportedToTheOwner() {
        ResidentSumF64 sum = new ResidentSumF64();
        sum.attach(new DMatrixRMaj(64, 64));
        sum.accumulateLater(null, false, random(64, 64, 5), false);
        assertThrows(NullPointerException.class, sum::writeBack);
        sum.writeBack();
    }

    private static DMatrixRMaj random(int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rng.nextDouble(-1, 1);
        }
        return m;
    }
}
