/** Layers: linear, embedding, and other tensor-to-tensor modules. */
package dev.unroll.nn.layers;
