/**
 * Guide: write your own op. An op is a static method that computes a new tensor from its inputs
 * and, when a tape is recording, leaves on the tape the step that carries the gradient back.
 * Unroll's own ops ({@link dev.unroll.autograd.ElementwiseOps}, {@link dev.unroll.autograd.MatrixOps}
 * and the others) are written exactly this way, with the same public calls.
 *
 * <h2>One recording call</h2>
 *
 * Compute the output, then return {@link dev.unroll.autograd.Tape#record(String, dev.unroll.autograd.Tensor,
 * dev.unroll.autograd.Tensor, dev.unroll.autograd.Backward) Tape.record(name, out, inputs...,
 * backward)} (one, two, three or a
 * list of inputs). When a tape is open on this thread and an input requires a gradient, it
 * appends a node (the name, the output, the inputs and the backward step) and the output becomes
 * a recorded tensor; otherwise it only returns the output, so inference builds no graph. Check
 * shapes before computing, and throw an {@link java.lang.IllegalArgumentException} that names the
 * op and both shapes ({@code myop: 3x4 and 5x4: rows differ}); backward never checks again.
 *
 * <h2>The backward contract</h2>
 *
 * The {@link dev.unroll.autograd.Backward} step runs once, in reverse order, after the steps of
 * every op that used the output. It reads the gradient of the loss with respect to the output,
 * {@link dev.unroll.autograd.Tensor#gradData() out.gradData()}, and ADDS the gradient with respect
 * to each input into {@code in.gradData()}: adding is what gives a weight used at every timestep
 * the sum of its contributions. It never modifies the output's gradient (nor any value), and it
 * touches {@code in.gradData()} only for an input that {@link dev.unroll.autograd.Tensor#requiresGrad()
 * requires a gradient} (the buffer is created on first use). Inputs' values are still readable
 * in backward: ops never modify their inputs, and the tape keeps recorded values until it is
 * cleared.
 *
 * <h2>Storage</h2>
 *
 * Take the output from {@link dev.unroll.autograd.Tensor#empty(dev.unroll.autograd.DType, int, int)
 * Tensor.empty(dtype, rows, cols)} when the op writes every element, or
 * {@link dev.unroll.autograd.Tensor#zeros(dev.unroll.autograd.DType, int, int) Tensor.zeros} when
 * it accumulates; arrays the backward step needs besides the inputs and the output come from
 * {@link dev.unroll.autograd.Storage#scratch(int) Storage.scratch(length)} (zeroed). On a tape that
 * is {@linkplain dev.unroll.autograd.Tape#clear() cleared} every iteration, all three come from the
 * previous iteration's arrays, so a training loop allocates nothing; see
 * {@link dev.unroll.guide.memory}.
 *
 * <h2>The example: softplus</h2>
 *
 * softplus(x) = log(1 + e^x), whose slope is sigmoid(x). The forward computes both from one
 * exponential and keeps the slope for backward. Float32 tensors go through the float64 op by
 * converting ({@link dev.unroll.autograd.Tensor#to(dev.unroll.autograd.DType)} is differentiable);
 * an op that wants a float32 kernel of its own writes the loop again over
 * {@link dev.unroll.autograd.Tensor#dataF32()} and {@link dev.unroll.autograd.Tensor#gradDataF32()}
 * (Unroll writes its own ops once in float64 and its build derives the float32 twin). The code,
 * as {@link dev.unroll.guide.op.Softplus#softplus(dev.unroll.autograd.Tensor)} has it:
 *
 * <pre>{@code
 * public static Tensor softplus(Tensor x) {
 *     if (x.dtype() == DType.F32) {
 *         return softplus(x.to(DType.F64)).to(DType.F32);   // float32 through the float64 op: to() is differentiable
 *     }
 *     int n = x.size();
 *     double[] v = x.data();
 *     Tensor out = Tensor.empty(DType.F64, x.rows(), x.cols());   // not zeroed: the loop writes every element
 *     double[] o = out.data();
 *     double[] slope = Storage.scratch(n);   // kept for backward; a cleared tape recycles it
 *     for (int i = 0; i < n; i++) {
 *         double e = Math.exp(-Math.abs(v[i]));   // at most 1: never overflows
 *         o[i] = Math.max(v[i], 0) + Math.log1p(e);
 *         slope[i] = v[i] >= 0 ? 1 / (1 + e) : e / (1 + e);   // sigmoid(x), from the same exponential
 *     }
 *     return Tape.record("softplus", out, x, () -> {
 *         double[] g = out.gradData();   // dL/dout: read it, never change it
 *         double[] gx = x.gradData();    // dL/dx: add into it, never assign
 *         for (int i = 0; i < n; i++) {
 *             gx[i] += g[i] * slope[i];
 *         }
 *     });
 * }
 * }</pre>
 *
 * <h2>Checking it</h2>
 *
 * {@link dev.unroll.autograd.GradCheck} compares the tape's gradient with central finite
 * differences, in float64; check a batch of one row and of several, and an input used twice in
 * one graph (the gradients must add). {@link dev.unroll.autograd.PrecisionCheck} runs the function
 * once in float64 and once in float32 and compares the output and every input's gradient:
 *
 * <pre>{@code
 * Tensor x = Tensor.uniform(3, 4, -3, 3, 7);
 * GradCheck.check(in -> softplus(in.get(0)).sum(), x).assertBelow(1e-6);
 * GradCheck.check(in -> softplus(in.get(0)).mul(in.get(0)).sum(), x).assertBelow(1e-6);   // x used twice
 * PrecisionCheck.compare(in -> softplus(in.get(0)), x).assertBelow(1e-6);
 * }</pre>
 *
 * The example's tests ({@code apidocs/src/test/java/dev/unroll/guide/op/SoftplusTest.java}) run
 * exactly these checks, and a test keeps the code above identical to the example's source.
 */
package dev.unroll.guide.op;
