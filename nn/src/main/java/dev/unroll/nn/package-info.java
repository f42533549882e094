/** Modules and parameters: the building blocks layers, optimizers and checkpoints work on. */
package dev.unroll.nn;
