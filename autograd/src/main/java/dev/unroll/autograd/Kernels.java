package dev.unroll.autograd;

import dev.unroll.autograd.internal.Activations;
import dev.unroll.autograd.internal.ProductsF32;
import dev.unroll.autograd.internal.ProductsF64;

/**
 * Which compute kernels this JVM runs Unroll's ops on, for logs and benchmark reports: the matrix
 * product kernels of each precision (small products in Java, on the Vector API when the JVM has
 * {@code --add-modules jdk.incubator.vector}; large ones on the OpenBLAS shipped in the
 * {@code org.bytedeco:openblas} jar when its native library loads for this platform, otherwise on
 * the packed Vector API kernel, or in Java without the Vector API), the kernel of tanh and
 * sigmoid, and the number of threads a large product uses.
 *
 * <pre>{@code
 * System.out.println(Kernels.describe());
 * // float64 products: small: vector-api(4 lanes), large: openblas(2 threads); float32 products: ...;
 * // activations: vector-api(4 lanes, 8 float lanes); threads: 2
 * }</pre>
 *
 * <p>The choices are made once per JVM, on first use; the system properties
 * {@code unroll.products} ({@code java}, {@code vector}, {@code openblas}, {@code packed}),
 * {@code unroll.activations=scalar} and {@code unroll.threads=N} override them. Asking resolves
 * every kernel, which loads OpenBLAS's native library if it is not loaded yet (a moment, once).
 */
public final class Kernels {

    private Kernels() {
    }

    /**
     * The product kernels of one precision, e.g. {@code small: vector-api(4 lanes), large:
     * openblas(2 threads)}; when large products run on another kernel because OpenBLAS did not
     * load, it says why (e.g. no native library for this platform).
     *
     * @param dtype the precision
     * @return a one-line description
     */
    public static String products(DType dtype) {
        return dtype == DType.F32 ? ProductsF32.describe() : ProductsF64.describe();
    }

    /** @return the kernel that evaluates tanh and sigmoid over arrays: {@code vector-api(N lanes)} or {@code scalar} */
    public static String activations() {
        return Activations.describe();
    }

    /** @return the number of threads a large product runs on, the calling thread included ({@code -Dunroll.threads}) */
    public static int threads() {
        return ProductsF64.threads();
    }

    /**
     * Everything above on one line: the product kernels of both precisions, the activation kernel
     * and the thread count.
     *
     * @return e.g. {@code float64 products: small: java, large: openblas(2 threads); float32
     *     products: small: java, large: openblas(2 threads); activations: scalar; threads: 2}
     */
    public static String describe() {
        return "float64 products: " + products(DType.F64) + "; float32 products: " + products(DType.F32)
                + "; activations: " + activations() + "; threads: " + threads();
    }
}
