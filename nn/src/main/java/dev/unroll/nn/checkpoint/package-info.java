/**
 * Checkpoints as safetensors files, the format PyTorch and other frameworks read: a module's
 * parameters under their dotted names, optionally an optimizer's state and string metadata. Use
 * {@link dev.unroll.nn.checkpoint.Checkpoint}: it writes to a temporary file and renames it, so a
 * crash never leaves half a checkpoint, and it validates a whole file against the module before
 * changing anything, refusing a truncated, malformed or mismatched file with a message that says
 * what differs. {@link dev.unroll.nn.checkpoint.SafeTensors} reads and writes the format itself.
 */
package dev.unroll.nn.checkpoint;
