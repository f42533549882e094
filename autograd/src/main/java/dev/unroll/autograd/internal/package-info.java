/** Internal implementation details (the matrix-product and activation kernel seams); not part of the public API. */
package dev.unroll.autograd.internal;
