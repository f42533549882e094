package dev.unroll.autograd.internal;

import org.bytedeco.openblas.global.openblas_full;

/**
 * OpenBLAS's native library, loaded once for both precisions' kernels: whether it loaded for this
 * platform and, if not, why (typically no natives jar of {@code org.bytedeco:openblas} for this
 * platform on the class path). Internal.
 */
final class OpenBlasLibrary {

    /** Why the library did not load, on one line; {@code null} when it loaded. */
    static final String FAILURE = load();

    private OpenBlasLibrary() {
    }

    private static String load() {
        try {
            // OpenBLAS's own threads spin while they wait, which costs many times their gain on a busy
            // machine; one OpenBLAS thread per call, and ProductThreads (which sleep) share the blocks.
            openblas_full.openblas_set_num_threads(1);
            return null;
        } catch (LinkageError | RuntimeException e) {
            Throwable shown = e.getMessage() == null && e.getCause() != null ? e.getCause() : e;
            String message = String.valueOf(shown.getMessage());
            int newline = message.indexOf('\n');
            return shown.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
        }
    }
}
