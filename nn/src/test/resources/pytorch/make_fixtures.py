#!/usr/bin/python3
"""Reference values of PyTorch's losses and gradient clipping for the parity tests of Unroll's nn
module (LossParityTest, ClipParityTest). (The state_dict export fixture, which needs the rnn
module's LanguageModel, is written by rnn/src/test/resources/pytorch/make_fixtures.py.)

Regenerate with:  cd nn/src/test/resources/pytorch && /usr/bin/python3 make_fixtures.py
(needs python3-torch; every random draw is seeded, so the inputs come out the same each time).

Files, all float64 unless said otherwise, in the safetensors format the rnn fixtures use:
  clip.safetensors: per case <c>: <c>.a, <c>.b (two gradients), <c>.max_norm, <c>.norm_type
      (inf for the infinity norm), <c>.total_norm (what clip_grad_norm_ returned), <c>.clipped_a,
      <c>.clipped_b (the gradients after it).
  losses.safetensors: per case <c>: <c>.input, <c>.target (class indices as floats, or
      probabilities), optional <c>.weight, <c>.pos_weight; for each reduction r in none, mean, sum: <c>.<r>.loss and
      <c>.<r>.R (a random weight of each loss element, 1 when reduced), <c>.<r>.grad (d sum(loss * R) / d input),
      and <c>.<r>.grad_target where the target is differentiable. The scalars ignore_index and
      label_smoothing of a case are in the tensor <c>.settings = [ignore_index, label_smoothing].
"""
import math

import torch
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


def loss_fixtures():
    torch.manual_seed(12)
    out = {}
    rows, classes = 5, 4
    ignore = -100

    def record(name, inputs, fn, settings=(ignore, 0.0), **extra):
        """fn(input, target) -> loss for a reduction; inputs = (input, target, target_is_differentiable)."""
        x, target, target_grad = inputs
        out[name + ".input"] = x
        out[name + ".target"] = target
        out[name + ".settings"] = torch.tensor(settings, dtype=torch.float64)
        for key, value in extra.items():
            out[name + "." + key] = value
        for reduction in ("none", "mean", "sum"):
            xi = x.clone().requires_grad_(True)
            ti = target.clone().requires_grad_(target_grad)
            loss = fn(xi, ti, reduction)
            weights = torch.randn(loss.shape, dtype=torch.float64) if reduction == "none" else torch.ones(())
            (loss * weights).sum().backward()
            prefix = name + "." + reduction
            out[prefix + ".loss"] = loss.reshape(-1)
            out[prefix + ".R"] = weights.reshape(-1)
            out[prefix + ".grad"] = xi.grad if xi.grad is not None else torch.zeros_like(x)
            if target_grad:
                out[prefix + ".grad_target"] = ti.grad

    logits = torch.randn(rows, classes, dtype=torch.float64) * 2
    targets = torch.tensor([0, 3, ignore, 1, 2])
    class_weights = torch.tensor([0.5, 2.0, 1.0, 1.5], dtype=torch.float64)
    as_float = targets.double()

    def ce(weight=None, smoothing=0.0, ignore_index=ignore):
        return lambda x, t, r: F.cross_entropy(x, t.long(), weight=weight, reduction=r, ignore_index=ignore_index,
                                               label_smoothing=smoothing)

    record("ce_plain", (logits, as_float, False), ce())
    record("ce_weighted", (logits, as_float, False), ce(class_weights), weight=class_weights)
    record("ce_smooth", (logits, as_float, False), ce(smoothing=0.2), settings=(ignore, 0.2))
    record("ce_smooth_weighted", (logits, as_float, False), ce(class_weights, 0.1), settings=(ignore, 0.1),
           weight=class_weights)
    # a class weight of 0 on a counted row: the smoothing term still counts, PyTorch's rule
    zero_weight = torch.tensor([0.0, 2.0, 1.0, 1.5], dtype=torch.float64)
    record("ce_smooth_zero_weight", (logits, torch.tensor([0.0, 0.0, 1.0, 3.0, 2.0], dtype=torch.float64), False),
           ce(zero_weight, 0.3), settings=(ignore, 0.3), weight=zero_weight)
    all_ignored = torch.full((rows,), float(ignore), dtype=torch.float64)
    record("ce_all_ignored", (logits, all_ignored, False), ce(smoothing=0.1), settings=(ignore, 0.1))
    probs = torch.softmax(torch.randn(rows, classes, dtype=torch.float64), dim=1)
    for name, weight, smoothing in (("ce_probs", None, 0.0), ("ce_probs_weighted_smooth", class_weights, 0.15)):
        extra = {"weight": weight} if weight is not None else {}
        record(name, (logits, probs, True),
               lambda x, t, r, w=weight, e=smoothing: F.cross_entropy(x, t, weight=w, reduction=r, label_smoothing=e),
               settings=(ignore, smoothing), **extra)
    record("nll_weighted", (torch.log_softmax(logits, dim=1), as_float, False),
           lambda x, t, r: F.nll_loss(x, t.long(), weight=class_weights, reduction=r, ignore_index=ignore),
           weight=class_weights)

    bce_logits = torch.randn(rows, classes, dtype=torch.float64) * 3
    bce_targets = torch.rand(rows, classes, dtype=torch.float64)
    bce_targets[0] = torch.tensor([0.0, 1.0, 1.0, 0.0])
    pos_weight = torch.tensor([3.0, 0.5, 1.0, 2.0], dtype=torch.float64)
    for name, weight in (("bce_pos_weight", None), ("bce_weight_row", torch.rand(1, classes, dtype=torch.float64)),
                         ("bce_weight_col", torch.rand(rows, 1, dtype=torch.float64)),
                         ("bce_weight_full", torch.rand(rows, classes, dtype=torch.float64))):
        extra = {"pos_weight": pos_weight}
        if weight is not None:
            extra["weight"] = weight
        record(name, (bce_logits, bce_targets, False),
               lambda x, t, r, w=weight: F.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=pos_weight,
                                                                          reduction=r), **extra)
    record("bce_weight_only", (bce_logits, bce_targets, False),
           lambda x, t, r: F.binary_cross_entropy_with_logits(x, t, weight=out["bce_weight_row.weight"], reduction=r),
           weight=out["bce_weight_row.weight"])
    record("mse", (torch.randn(rows, classes, dtype=torch.float64), torch.randn(rows, classes, dtype=torch.float64), True),
           lambda x, t, r: F.mse_loss(x, t, reduction=r))
    save("losses.safetensors", out)


clip_fixtures()
loss_fixtures()
