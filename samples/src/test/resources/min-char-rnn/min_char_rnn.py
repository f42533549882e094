#!/usr/bin/python3
"""Karpathy's min-char-rnn.py (https://gist.github.com/karpathy/d4dee566867f8291f086), its
training loop line for line in numpy, started from Unroll's own initial weights instead of its
own random draws, so that the losses of the two can be compared update by update.

    /usr/bin/python3 min_char_rnn.py INITIAL.safetensors TEXT UPDATES [LOSSES.safetensors]

INITIAL is a checkpoint of MinCharRnnCommand.initialModel (its vocabulary in the metadata, in
Unroll's order, which replaces min-char-rnn.py's list(set(data))); TEXT the training text (the
bundled samples/src/main/resources/data/tinyshakespeare.txt). Prints the smooth loss after every
1,000 updates; with LOSSES also writes the loss of every update as one F64 tensor "loss" (the
fixture MinCharRnnReplicaTest compares with the sample). The fixture here was made with

    ./unroll jshell, then:
    Checkpoint.save(Path.of("initial-h32.safetensors"), MinCharRnnCommand.initialModel(65, 32, 1), null,
        Map.of("vocabulary", Corpus.load(null).vocabulary()))
    /usr/bin/python3 min_char_rnn.py initial-h32.safetensors ../../../main/resources/data/tinyshakespeare.txt 30 \\
        replica-h32-losses.safetensors
"""
import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    body = raw[8 + n:]
    tensors = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        dtype = {"F64": "<f8", "F32": "<f4"}[e["dtype"]]
        tensors[name] = np.frombuffer(body[begin:end], dtype=dtype).astype(np.float64).reshape(e["shape"])
    return tensors, meta


def write_losses(path, losses):
    data = np.asarray(losses, dtype="<f8").tobytes()
    header = json.dumps({"loss": {"dtype": "F64", "shape": [len(losses)], "data_offsets": [0, len(data)]}},
                        separators=(",", ":")).encode()
    header += b" " * (-len(header) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + data)


weights, meta = read_safetensors(sys.argv[1])
data = open(sys.argv[2], "r", encoding="utf-8").read()
updates = int(sys.argv[3])
chars = meta["vocabulary"]
data_size, vocab_size = len(data), len(chars)
char_to_ix = {ch: i for i, ch in enumerate(chars)}

# hyperparameters
hidden_size = weights["rnn.weight_hh_l0"].shape[0]
seq_length = 25
learning_rate = 1e-1

# model parameters: Unroll's initial weights (Unroll stores W as out x in, as min-char-rnn.py does)
Wxh = weights["rnn.weight_ih_l0"].copy()  # input to hidden
Whh = weights["rnn.weight_hh_l0"].copy()  # hidden to hidden
Why = weights["head.weight"].copy()  # hidden to output
bh = weights["rnn.bias_ih_l0"].reshape(hidden_size, 1).copy()  # hidden bias
by = weights["head.bias"].reshape(vocab_size, 1).copy()  # output bias


def lossFun(inputs, targets, hprev):
    xs, hs, ys, ps = {}, {}, {}, {}
    hs[-1] = np.copy(hprev)
    loss = 0
    for t in range(len(inputs)):
        xs[t] = np.zeros((vocab_size, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(np.dot(Wxh, xs[t]) + np.dot(Whh, hs[t - 1]) + bh)
        ys[t] = np.dot(Why, hs[t]) + by
        ps[t] = np.exp(ys[t]) / np.sum(np.exp(ys[t]))
        loss += -np.log(ps[t][targets[t], 0])
    dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dWhy += np.dot(dy, hs[t].T)
        dby += dy
        dh = np.dot(Why.T, dy) + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dWxh += np.dot(dhraw, xs[t].T)
        dWhh += np.dot(dhraw, hs[t - 1].T)
        dhnext = np.dot(Whh.T, dhraw)
    for dparam in [dWxh, dWhh, dWhy, dbh, dby]:
        np.clip(dparam, -5, 5, out=dparam)
    return loss, dWxh, dWhh, dWhy, dbh, dby, hs[len(inputs) - 1]


n, p = 0, 0
mWxh, mWhh, mWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
mbh, mby = np.zeros_like(bh), np.zeros_like(by)
smooth_loss = -np.log(1.0 / vocab_size) * seq_length
losses = []
while n < updates:
    if p + seq_length + 1 >= len(data) or n == 0:
        hprev = np.zeros((hidden_size, 1))
        p = 0
    inputs = [char_to_ix[ch] for ch in data[p:p + seq_length]]
    targets = [char_to_ix[ch] for ch in data[p + 1:p + seq_length + 1]]
    loss, dWxh, dWhh, dWhy, dbh, dby, hprev = lossFun(inputs, targets, hprev)
    smooth_loss = smooth_loss * 0.999 + loss * 0.001
    losses.append(loss)
    for param, dparam, mem in zip([Wxh, Whh, Why, bh, by], [dWxh, dWhh, dWhy, dbh, dby],
                                  [mWxh, mWhh, mWhy, mbh, mby]):
        mem += dparam * dparam
        param += -learning_rate * dparam / np.sqrt(mem + 1e-8)
    p += seq_length
    n += 1
    if n % 1000 == 0:
        print("after %d updates: smooth loss %.2f" % (n, smooth_loss), flush=True)
if len(sys.argv) > 4:
    write_losses(sys.argv[4], losses)
