package dev.unroll.samples.programs;

import dev.unroll.rnn.State;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The LSTM state each shard of a Spark run of char-lstm carries from chunk to chunk, kept on the
 * executor that ran the shard (in local mode, the driver's JVM): the task of iteration n reads the
 * state iteration n - 1 left and stores its own, so a retried task reads the same state again. A
 * shard that moves to another executor (after a lost executor, say) starts that chunk from the
 * zero state, as a resumed run does. Each shard keeps its last two states until the run forgets
 * them.
 */
final class CarriedStates {

    private static final Map<String, List<State>> STATES = new ConcurrentHashMap<>();

    private CarriedStates() {
    }

    /**
     * @param run the run
     * @param shard the shard
     * @param iteration the iteration that left the state
     * @return the state, or {@code null} when this executor holds none
     */
    static List<State> take(String run, int shard, int iteration) {
        return STATES.get(key(run, shard, iteration));
    }

    /**
     * Stores the state a shard's iteration left, dropping the one from two iterations before.
     *
     * @param run the run
     * @param shard the shard
     * @param iteration the iteration
     * @param state its final state, detached
     */
    static void put(String run, int shard, int iteration, List<State> state) {
        STATES.put(key(run, shard, iteration), state);
        STATES.remove(key(run, shard, iteration - 2));
    }

    /** @param run the run whose states this JVM forgets */
    static void forget(String run) {
        STATES.keySet().removeIf(k -> k.startsWith(run + "/"));
    }

    private static String key(String run, int shard, int iteration) {
        return run + "/" + shard + "/" + iteration;
    }
}
