package dev.unroll.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.autograd.LossOps;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.Module;
import dev.unroll.nn.checkpoint.Checkpoint;
import dev.unroll.nn.checkpoint.SafeTensors;
import dev.unroll.nn.checkpoint.StoredTensor;
import dev.unroll.nn.layers.Activation;
import dev.unroll.nn.layers.LayerNorm;
import dev.unroll.nn.layers.Linear;
import dev.unroll.nn.layers.Sequential;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every option of the optimizers, and parameter groups with a per-group schedule, against PyTorch:
 * five steps of each run of {@code rnn/src/test/resources/pytorch/make_optimizer_fixtures.py} from
 * the same start (its {@code optim_start.safetensors}, in this module's test resources), the losses before each step and every parameter
 * after the fifth to 1e-12, including a module the loss never reaches, which both leave alone.
 */
class OptimizerParityTest {

    private static final double TOLERANCE = 1e-12;

    /** The fixture's model: body = Linear(4, 3), tanh, LayerNorm(3), Linear(3, 2); and unused = Linear(2, 2). */
    static final class Model extends Module {
        final Sequential body;

        Model() {
            body = registerModule("body", new Sequential(new Linear(4, 3, 1), Activation.tanh(), new LayerNorm(3),
                    new Linear(3, 2, 2)));
            registerModule("unused", new Linear(2, 2, 3));
        }
    }

    /** The runs of make_optimizer_fixtures.py, by name, with the same settings in Unroll's options. */
    static Stream<Arguments> runs() {
        Map<String, Function<Model, Optimizer>> runs = new LinkedHashMap<>();
        runs.put("sgd", m -> Sgd.options().lr(0.1).build(m));
        runs.put("sgd_momentum_dampening", m -> Sgd.options().lr(0.1).momentum(0.9).dampening(0.3).weightDecay(0.01)
                .build(m));
        runs.put("sgd_nesterov", m -> Sgd.options().lr(0.1).momentum(0.9).nesterov(true).weightDecay(0.01).build(m));
        runs.put("sgd_maximize", m -> Sgd.options().lr(0.01).momentum(0.5).maximize(true).build(m));
        runs.put("adam_amsgrad", m -> Adam.options().lr(0.01).betas(0.8, 0.99).eps(1e-6).weightDecay(0.01).amsgrad(true)
                .build(m));
        runs.put("adam_maximize", m -> Adam.options().lr(0.01).maximize(true).build(m));
        runs.put("adamw_amsgrad", m -> AdamW.options().lr(0.01).weightDecay(0.1).amsgrad(true).build(m));
        runs.put("adamw_maximize", m -> AdamW.options().lr(0.01).maximize(true).build(m));
        runs.put("rmsprop_centered_momentum", m -> RmsProp.options().lr(0.01).alpha(0.9).eps(1e-6).weightDecay(0.01)
                .momentum(0.5).centered(true).build(m));
        runs.put("rmsprop_maximize", m -> RmsProp.options().lr(0.01).maximize(true).build(m));
        runs.put("adagrad_lr_decay", m -> Adagrad.options().lr(0.1).lrDecay(0.05).weightDecay(0.01)
                .initialAccumulatorValue(0.1).eps(1e-8).build(m));
        runs.put("adagrad_maximize", m -> Adagrad.options().lr(0.1).maximize(true).build(m));
        runs.put("groups_adamw", m -> AdamW.options().lr(0.01).weightDecay(0.1)
                .group(ParameterFilter.vectors(), g -> g.weightDecay(0).lr(0.005)).build(m));
        runs.put("groups_sgd", m -> Sgd.options().lr(0.1).momentum(0.9)
                .group(ParameterFilter.vectors(), g -> g.momentum(0).lr(0.05)).build(m));
        return runs.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(OptimizerParityTest.class.getResource("/pytorch/" + name + ".safetensors").toURI());
    }

    private static Tensor matrix(StoredTensor t) {
        long[] shape = t.shape();
        return Tensor.wrap(DMatrixRMaj.wrap((int) shape[0], (int) shape[1], t.values()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void fiveStepsMatchPyTorch(String run, Function<Model, Optimizer> optimizer) throws Exception {
        Model model = new Model();
        Checkpoint.load(resource("optim_start"), model);
        Map<String, StoredTensor> reference = SafeTensors.read(resource("optim_reference")).tensors();
        Tensor x = matrix(reference.get("x"));
        Tensor y = matrix(reference.get("y"));
        Optimizer opt = optimizer.apply(model);
        LearningRateSchedule schedule = run.startsWith("groups_") ? LearningRateSchedule.exponentialDecay(0.9) : null;
        double[] losses = new double[5];
        for (int step = 0; step < 5; step++) {
            if (schedule != null) {
                schedule.apply(opt, step);
            }
            opt.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor loss = LossOps.mse(model.body.forward(x), y);
                losses[step] = loss.item();
                tape.backward(loss);
            }
            opt.step();
        }
        assertArrayEquals(reference.get(run + ".loss").values(), losses, TOLERANCE, run + ": losses");
        model.namedParameters().forEach((name, p) ->
                assertArrayEquals(reference.get(run + "." + name).values(), p.data(), TOLERANCE, run + ": " + name));
        assertEquals(0, opt.state().parameterSteps().get("unused.weight"), run + ": the unused module took no step");
    }
}
