/** Runnable programs that reproduce the classic recurrent-network experiments, and the benchmarks. */
package dev.unroll.samples;
