#!/usr/bin/python3
"""Reference values of PyTorch's losses, gradient clipping and state_dict export for the parity
tests of Unroll's nn module (LossParityTest, ClipParityTest, PyTorchExportTest).

Regenerate with:  cd nn/src/test/resources/pytorch && /usr/bin/python3 make_fixtures.py
(needs python3-torch; every random draw is seeded, so the inputs come out the same each time).
The export fixture needs the `safetensors` package (pip install safetensors): it is written by
safetensors.torch.save_file itself, as a PyTorch user exports a state_dict; without the package
that fixture is left as it is and the others are rewritten.

Files, all float64 unless said otherwise, in the safetensors format the rnn fixtures use:
  clip.safetensors: per case <c>: <c>.a, <c>.b (two gradients), <c>.max_norm, <c>.norm_type
      (inf for the infinity norm), <c>.total_norm (what clip_grad_norm_ returned), <c>.clipped_a,
      <c>.clipped_b (the gradients after it).
  losses.safetensors: per case <c>: <c>.input, <c>.target, optional <c>.weight, <c>.pos_weight,
      <c>.probs_target; for each reduction r in none, mean, sum: <c>.<r>.loss and
      <c>.<r>.grad (d sum(loss * R) / d input, R = <c>.R of the loss's shape, R = 1 when reduced),
      and <c>.<r>.grad_target where the target is differentiable. The scalars ignore_index and
      label_smoothing of a case are in the tensor <c>.settings = [ignore_index, label_smoothing].
  export.safetensors: the float32 state_dict of a small PyTorch model (an embedding, a 1-layer
      nn.LSTM named `lstm`, a linear `decoder`), exactly as save_file writes it;
  export_reference.safetensors: its tokens, and its logits computed by PyTorch in float64 from
      those float32 weights widened (model.double()).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixture_files import save


def scalar(v):
    return torch.tensor([v], dtype=torch.float64)


def clip_fixtures():
    torch.manual_seed(11)
    out = {}
    cases = {
        "l2_above": (torch.randn(2, 3), torch.randn(1, 4), 1.0, 2.0),
        "l1_above": (torch.randn(2, 3), torch.randn(1, 4), 1.5, 1.0),
        "p3_above": (torch.randn(2, 3), torch.randn(1, 4), 0.5, 3.0),
        "p0_5_above": (torch.randn(2, 3), torch.randn(1, 4), 2.0, 0.5),
        "inf_above": (torch.randn(2, 3), torch.randn(1, 4), 0.7, math.inf),
        "l2_below": (torch.randn(2, 3) * 0.1, torch.randn(1, 4) * 0.1, 5.0, 2.0),
        # the band: a norm of 5 with max_norm 5 + 5e-7, below max_norm by less than PyTorch's 1e-6
        "l2_band": (torch.tensor([[3.0, 0.0]]), torch.tensor([[0.0, 4.0]]), 5.0 + 5e-7, 2.0),
        "inf_band": (torch.tensor([[3.0, -5.0]]), torch.tensor([[0.0, 4.0]]), 5.0 + 5e-7, math.inf),
        "l2_exact": (torch.tensor([[3.0, 0.0]]), torch.tensor([[0.0, 4.0]]), 5.0, 2.0),
    }
    for name, (a, b, max_norm, norm_type) in cases.items():
        pa = torch.zeros_like(a, dtype=torch.float64, requires_grad=True)
        pb = torch.zeros_like(b, dtype=torch.float64, requires_grad=True)
        pa.grad, pb.grad = a.double().clone(), b.double().clone()
        total = torch.nn.utils.clip_grad_norm_([pa, pb], max_norm, norm_type=norm_type)
        out.update({name + ".a": a, name + ".b": b, name + ".max_norm": scalar(max_norm),
                    name + ".norm_type": scalar(norm_type), name + ".total_norm": total.reshape(1),
                    name + ".clipped_a": pa.grad, name + ".clipped_b": pb.grad})
    save("clip.safetensors", out)


clip_fixtures()
