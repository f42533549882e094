#!/usr/bin/python3
"""Reference outputs of PyTorch's nn.LSTM, nn.GRU and nn.RNN for Unroll's parity test.

Regenerate with:  cd rnn/src/test/resources/pytorch && /usr/bin/python3 make_fixtures.py
(needs python3-torch; every random draw is seeded, so the files come out the same each time).

For each module, <name>.safetensors holds exactly its state_dict under PyTorch's names (so the
test can load it strictly), and <name>_reference.safetensors the input (T x B x in), the lengths,
and the outputs and final states with and without lengths (packed sequences), all float64.
"""
import json
import struct

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def save(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float64).numpy().tobytes()
        header[name] = {"dtype": "F64", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def fixture(name, module):
    torch.manual_seed(7)
    steps, batch, features = 4, 3, 2
    x = torch.randn(steps, batch, features, dtype=torch.float64)
    lengths = torch.tensor([4, 2, 3])
    save(name + ".safetensors", dict(module.state_dict()))
    tensors = {"input": x}
    tensors["lengths"] = lengths.to(torch.float64)
    with torch.no_grad():
        out, state = module(x)
        tensors["output_full"] = out
        packed = pack_padded_sequence(x, lengths, enforce_sorted=False)
        out_packed, state_packed = module(packed)
        out_padded, _ = pad_packed_sequence(out_packed, total_length=steps)
        tensors["output_lengths"] = out_padded
    if isinstance(state, tuple):
        tensors["h_n_full"], tensors["c_n_full"] = state
        tensors["h_n_lengths"], tensors["c_n_lengths"] = state_packed
    else:
        tensors["h_n_full"] = state
        tensors["h_n_lengths"] = state_packed
    save(name + "_reference.safetensors", tensors)


torch.manual_seed(1)
fixture("lstm", nn.LSTM(2, 3, num_layers=2, bidirectional=True).double())
torch.manual_seed(2)
fixture("gru", nn.GRU(2, 3, num_layers=2, bidirectional=True).double())
torch.manual_seed(3)
fixture("rnn", nn.RNN(2, 3, num_layers=2, nonlinearity="tanh", bidirectional=True).double())
