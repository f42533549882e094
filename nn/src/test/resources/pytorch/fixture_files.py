"""Writes tensors as a safetensors file, the one writer of the PyTorch fixture scripts (this
folder's make_fixtures.py and rnn/src/test/resources/pytorch/make_fixtures.py): an 8-byte
little-endian header length, the JSON header padded with spaces to a multiple of 8, the raw data."""
import json
import struct

import torch


def save(path, tensors, dtype=torch.float64):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        data = t.detach().contiguous().to(dtype).numpy().tobytes()
        tag = "F32" if dtype == torch.float32 else "F64"
        header[name] = {"dtype": tag, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))
