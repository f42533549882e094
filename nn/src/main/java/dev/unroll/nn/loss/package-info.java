/** Loss objects over the fused loss ops: cross-entropy, NLL, MSE, binary cross-entropy. */
package dev.unroll.nn.loss;
