/** Weight initialisers (Xavier, Kaiming, orthogonal, scaled identity, ...), seeded. */
package dev.unroll.nn.init;
