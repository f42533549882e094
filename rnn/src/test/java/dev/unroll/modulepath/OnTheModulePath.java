package dev.unroll.modulepath;

import dev.unroll.autograd.Kernels;
import dev.unroll.autograd.Reduction;
import dev.unroll.autograd.Tape;
import dev.unroll.autograd.Tensor;
import dev.unroll.nn.clip.GradClipping;
import dev.unroll.nn.optim.Adagrad;
import dev.unroll.rnn.model.LanguageModel;

/**
 * A program outside Unroll's modules, run by {@code ModuleDescriptorsTest} with Unroll's jars on
 * the module path: it trains an LSTM (the LSTM gates use the kernel package from rnn, Adagrad uses
 * it from nn, both through the qualified export), prints the kernels, and tries the kernel package
 * itself, which must be refused.
 */
public final class OnTheModulePath {

    private OnTheModulePath() {
    }

    /** @param args ignored */
    public static void main(String[] args) throws ReflectiveOperationException {
        LanguageModel model = LanguageModel.lstm(4, 8, 16, 1, 42);
        Adagrad adagrad = new Adagrad(model, 0.1);
        int[][] in = {{0}, {1}, {2}, {2}};
        int[][] out = {{1}, {2}, {2}, {3}};
        double first = 0;
        double last = 0;
        for (int step = 0; step < 20; step++) {
            model.zeroGrad();
            try (Tape tape = Tape.record()) {
                Tensor loss = model.loss(in, out, null, Reduction.MEAN).loss();
                tape.backward(loss);
                last = loss.item();
                first = step == 0 ? last : first;
            }
            GradClipping.clipGradNorm(model.parameters(), 5);
            adagrad.step();
        }
        System.out.println("named: " + Tensor.class.getModule().getName());
        System.out.println("loss: " + first + " -> " + last);
        System.out.println("kernels: " + Kernels.describe());
        Module autograd = Tensor.class.getModule();
        System.out.println("internal exported to nn: " + autograd.isExported("dev.unroll.autograd.internal",
                Adagrad.class.getModule()));
        try {
            Class.forName("dev.unroll.autograd.internal.Activations").getMethod("describe").invoke(null);
            System.out.println("internal: readable");
        } catch (IllegalAccessException e) {
            System.out.println("internal: refused");
        }
    }
}
