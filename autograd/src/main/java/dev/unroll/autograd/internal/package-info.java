/** Internal implementation details (the matrix-product kernel seam); not part of the public API. */
package dev.unroll.autograd.internal;
