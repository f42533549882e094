/** Optimizers (SGD, Adagrad, RMSProp, Adam, AdamW) and learning-rate schedules. */
package dev.unroll.nn.optim;
