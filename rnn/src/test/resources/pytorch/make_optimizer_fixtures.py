#!/usr/bin/python3
"""Reference runs of PyTorch's optimizers for Unroll's optimizer parity test (OptimizerParityTest):
every option of torch.optim.SGD, Adam, AdamW, RMSprop and Adagrad, and parameter groups with a
per-group learning-rate schedule, each five steps from the same start.

The model is body = Sequential(Linear(4, 3), Tanh(), LayerNorm(3), Linear(3, 2)) and a Linear(2, 2)
named unused that takes no part in the loss (its grad stays None, so PyTorch leaves it alone), the
loss the mean squared error of body(x) against y. Each step: zero_grad(set_to_none=True), loss,
backward, step (and for the scheduled runs scheduler.step()).

Regenerate with:  cd rnn/src/test/resources/pytorch && /usr/bin/python3 make_optimizer_fixtures.py
(needs python3-torch; every draw is seeded, so the start, x and y come out the same each time). It
sits beside make_fixtures.py, whose safetensors writer it uses, and writes into
nn/src/test/resources/pytorch: optim_start.safetensors holds the model's state_dict under PyTorch's
names (the test loads it strictly); optim_reference.safetensors, all float64: x (5 x 4), y (5 x 2), and for each run
<run>.loss (5: the loss before each step) and <run>.<parameter> (the parameter after five steps).
The runs are RUNS and GROUP_RUNS below; the test repeats each one's settings in Unroll's options.
"""
import os

import torch
import torch.nn as nn

from make_fixtures import save

# The optimizer parity test is unroll-nn's, so its fixtures go to nn's test resources.
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "..", "nn", "src", "test",
                   "resources", "pytorch")

RUNS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "sgd_momentum_dampening": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01),
    "sgd_nesterov": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    "sgd_maximize": lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.5, maximize=True),
    "adam_amsgrad": lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01,
                                               amsgrad=True),
    "adam_maximize": lambda p: torch.optim.Adam(p, lr=0.01, maximize=True),
    "adamw_amsgrad": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1, amsgrad=True),
    "adamw_maximize": lambda p: torch.optim.AdamW(p, lr=0.01, maximize=True),
    "rmsprop_centered_momentum": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.01,
                                                               momentum=0.5, centered=True),
    "rmsprop_maximize": lambda p: torch.optim.RMSprop(p, lr=0.01, maximize=True),
    "adagrad_lr_decay": lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.05, weight_decay=0.01,
                                                      initial_accumulator_value=0.1, eps=1e-8),
    "adagrad_maximize": lambda p: torch.optim.Adagrad(p, lr=0.1, maximize=True),
}
# Parameter groups: matrices in group 0, vectors (biases, LayerNorm gains) in group 1, as
# ParameterFilter.vectors() chooses them; the schedule multiplies each group's rate by 0.9 a step.
GROUP_RUNS = {
    "groups_adamw": lambda matrices, vectors: torch.optim.AdamW(
        [{"params": matrices}, {"params": vectors, "weight_decay": 0.0, "lr": 0.005}], lr=0.01, weight_decay=0.1),
    "groups_sgd": lambda matrices, vectors: torch.optim.SGD(
        [{"params": matrices}, {"params": vectors, "momentum": 0.0, "lr": 0.05}], lr=0.1, momentum=0.9),
}


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.LayerNorm(3), nn.Linear(3, 2))
        self.unused = nn.Linear(2, 2)


def start():
    torch.manual_seed(11)
    model = Model().double()
    with torch.no_grad():  # LayerNorm starts at ones and zeros; move it so its gradients matter
        model.body[2].weight.add_(torch.randn(3, dtype=torch.float64) * 0.1)
        model.body[2].bias.add_(torch.randn(3, dtype=torch.float64) * 0.1)
    return model


def run(model, optimizer, x, y, scheduler=None):
    losses = []
    for _ in range(5):
        optimizer.zero_grad(set_to_none=True)
        loss = ((model.body(x) - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
    return losses


def main():
    model = start()
    save(os.path.join(OUT, "optim_start.safetensors"), dict(model.state_dict()))
    torch.manual_seed(12)
    x = torch.randn(5, 4, dtype=torch.float64)
    y = torch.randn(5, 2, dtype=torch.float64)
    reference = {"x": x, "y": y}

    def record(name, trained, losses):
        reference[name + ".loss"] = torch.tensor(losses, dtype=torch.float64)
        for key, value in trained.state_dict().items():
            reference[name + "." + key] = value

    for name, make in RUNS.items():
        trained = start()
        record(name, trained, run(trained, make(trained.parameters()), x, y))
    for name, make in GROUP_RUNS.items():
        trained = start()
        matrices = [p for p in trained.parameters() if p.dim() == 2]
        vectors = [p for p in trained.parameters() if p.dim() < 2]
        optimizer = make(matrices, vectors)
        scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
        record(name, trained, run(trained, optimizer, x, y, scheduler))
    save(os.path.join(OUT, "optim_reference.safetensors"), reference)


if __name__ == "__main__":
    main()
