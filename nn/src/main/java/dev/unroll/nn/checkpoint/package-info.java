/** Safetensors checkpoints of modules and optimizer state, written atomically and read strictly. */
package dev.unroll.nn.checkpoint;
