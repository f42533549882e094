/** Gradient clipping by global norm and by value. */
package dev.unroll.nn.clip;
