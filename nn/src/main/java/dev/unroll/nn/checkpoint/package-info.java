/**
 * Checkpoints as safetensors files, the format PyTorch and other frameworks read: a module's
 * parameters under their dotted names, optionally an optimizer's state and string metadata. Use
 * {@link dev.unroll.nn.checkpoint.Checkpoint}: it writes to a temporary file and renames it, so a
 * crash never leaves half a checkpoint, and it validates a whole file against the module before
 * changing anything, refusing a truncated, malformed or mismatched file with a message that says
 * what differs. Loading returns the missing and unexpected keys, as PyTorch's
 * {@code load_state_dict} does ({@link dev.unroll.nn.checkpoint.LoadResult}), and a
 * {@link dev.unroll.nn.checkpoint.KeyMapping} in the {@link dev.unroll.nn.checkpoint.LoadOptions}
 * maps a file's names onto the module's (a prefix stripped, an attribute renamed) or loads only
 * the part of a larger file under a prefix. A float32 PyTorch state_dict loads into a float64
 * model with every value widened exactly. {@link dev.unroll.nn.checkpoint.SafeTensors} reads and
 * writes the format itself.
 */
package dev.unroll.nn.checkpoint;
