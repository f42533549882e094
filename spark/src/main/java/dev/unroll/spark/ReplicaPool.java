package dev.unroll.spark;

import dev.unroll.autograd.DType;
import dev.unroll.nn.Module;
import java.io.Serializable;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The replicas of one engine on one executor. The engine broadcasts the pool once; Spark keeps
 * one deserialized copy per executor (the driver's own object in local mode), so the replicas
 * built there are reused by every later task on that executor, one per task running at once, until
 * the engine is closed and the broadcast destroyed. A task borrows a replica and gives it back
 * when it succeeded; a failed task's replica is dropped, whatever state it was left in.
 *
 * @param <M> the model type
 */
final class ReplicaPool<M extends Module> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ReplicaFactory<M> factory;
    private final DType dtype;
    private transient ConcurrentLinkedDeque<M> free;

    ReplicaPool(ReplicaFactory<M> factory, DType dtype) {
        this.factory = factory;
        this.dtype = dtype;
    }

    /** @return a free replica, or a new one in the model's precision when all are in use */
    M borrow() {
        M replica = free().poll();
        if (replica != null) {
            return replica;
        }
        M built = factory.build();
        if (built == null) {
            throw new IllegalStateException("the replica factory returned null; it must build a new model each time");
        }
        built.to(dtype);
        return built;
    }

    /** @param replica a replica whose task succeeded, free for the next task on this executor */
    void giveBack(M replica) {
        free().push(replica);
    }

    private synchronized ConcurrentLinkedDeque<M> free() {
        if (free == null) {
            free = new ConcurrentLinkedDeque<>();
        }
        return free;
    }
}
