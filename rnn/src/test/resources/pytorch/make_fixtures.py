#!/usr/bin/python3
"""Reference outputs of PyTorch's nn.LSTM, nn.GRU and nn.RNN for Unroll's parity test: each with
biases, each without (bias=False, <name>_nobias), and the LSTM with a projection (proj_size=2,
lstm_proj), all 2 layers, bidirectional.

The same three modules also in PyTorch's default float32 (<name>_f32), every tensor stored as F32
and computed by PyTorch in float32: the same seeds, so the weights are the float64 fixtures'
rounded, for the float32 parity test (1e-5 relative).

Regenerate with:  cd rnn/src/test/resources/pytorch && /usr/bin/python3 make_fixtures.py
(needs python3-torch; every random draw is seeded, so the inputs, weights and loss weights come
out the same each time; the outputs and gradients may differ in their last bits from one BLAS
build or thread count to another, far below the test's 1e-10).

For each module, <name>.safetensors holds exactly its state_dict under PyTorch's names (so the
test can load it strictly), and <name>_reference.safetensors, all float64:
  input (T x B x in), lengths (B);
  output_<v> (T x B x 2P, [forward | reverse]; P = proj_size, else H), h_n_<v> (layers*2 x B x P)
      and for the LSTM c_n_<v> (layers*2 x B x H), ordered layer 0 forward, layer 0 reverse,
      layer 1 forward, ...,
      for v = full (no lengths) and v = lengths (packed sequences);
  loss_R (like output), loss_S (like h_n), loss_U (like c_n, LSTM only): fixed random weights of
      the scalar loss = sum(output * R) + sum(h_n * S) [+ sum(c_n * U)], the same for both v;
  loss_<v> (a 1-element tensor): that loss;
  grad_<v>.input and grad_<v>.<parameter> for every state_dict name: d loss / d that tensor.

export.safetensors: a PyTorch user's export of a character model in float32, written by
safetensors.torch.save_file itself (needs the `safetensors` package; without it this file is left as
it is): a wrapper whose attribute `model` holds `embed` (nn.Embedding 5 x 3), `lstm` (nn.LSTM 3 -> 4)
and `decoder` (nn.Linear 4 -> 5), so the keys are model.embed.weight, model.lstm.weight_ih_l0, ...;
export_reference.safetensors (F64): tokens (T x B) and logits (T x B x 5) of that model in float64
(model.double(), the float32 weights widened exactly), for PyTorchExportTest.

tied_lm.safetensors: the state_dict of PyTorch's word_language_model RNNModel with --tied, tiny
(vocabulary 6, embedding and hidden 3, a 2-layer LSTM, float64, in eval mode so dropout is off):
encoder.weight, rnn.*, decoder.weight (the same tensor as encoder.weight, listed under both
names as a state_dict lists it) and decoder.bias; tied_lm_reference.safetensors: tokens and
targets (T x B), logits (T*B x 6), loss (the mean cross-entropy, 1 element) and grad.<name>
for every distinct parameter (named_parameters(): the tied one once, as encoder.weight, holding
the sum of its two uses), for TiedLanguageModelParityTest.
"""
import sys
from pathlib import Path

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, str(Path(__file__).resolve().parents[5] / "nn" / "src" / "test" / "resources" / "pytorch"))
from fixture_files import save  # noqa: E402 (the writer the nn fixtures share)


def fixture(name, module, dtype=torch.float64):
    torch.manual_seed(7)
    steps, batch, features = 4, 3, 2
    x = torch.randn(steps, batch, features, dtype=torch.float64).to(dtype)
    lengths = torch.tensor([4, 2, 3])
    save(name + ".safetensors", dict(module.state_dict()), dtype)
    tensors = {"input": x}
    tensors["lengths"] = lengths.to(torch.float64)
    lstm = isinstance(module, nn.LSTM)
    states = module.num_layers * 2
    width = module.proj_size or module.hidden_size
    # Drawn after x, so the input is the one the output-only fixtures had.
    weights = {"R": torch.randn(steps, batch, 2 * width, dtype=torch.float64).to(dtype),
               "S": torch.randn(states, batch, width, dtype=torch.float64).to(dtype)}
    if lstm:
        weights["U"] = torch.randn(states, batch, module.hidden_size, dtype=torch.float64).to(dtype)
    for key, w in weights.items():
        tensors["loss_" + key] = w
    for variant in ("full", "lengths"):
        module.zero_grad(set_to_none=True)
        xv = x.clone().requires_grad_(True)
        if variant == "full":
            out, state = module(xv)
        else:
            packed = pack_padded_sequence(xv, lengths, enforce_sorted=False)
            out_packed, state = module(packed)
            out, _ = pad_packed_sequence(out_packed, total_length=steps)
        h_n, c_n = state if lstm else (state, None)
        loss = (out * weights["R"]).sum() + (h_n * weights["S"]).sum()
        if lstm:
            loss = loss + (c_n * weights["U"]).sum()
        loss.backward()
        tensors["output_" + variant] = out
        tensors["h_n_" + variant] = h_n
        if lstm:
            tensors["c_n_" + variant] = c_n
        tensors["loss_" + variant] = loss.reshape(1)
        tensors["grad_" + variant + ".input"] = xv.grad
        for pname, p in module.named_parameters():
            tensors["grad_" + variant + "." + pname] = p.grad
    save(name + "_reference.safetensors", tensors, dtype)


class CharModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(5, 3)
        self.lstm = nn.LSTM(3, 4)
        self.decoder = nn.Linear(4, 5)

    def forward(self, tokens):
        out, _ = self.lstm(self.embed(tokens))
        return self.decoder(out)


class Wrapper(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = CharModel()


def export_fixture():
    try:
        from safetensors.torch import save_file
    except ImportError:
        print("safetensors is not installed: export.safetensors left as it is")
        return
    torch.manual_seed(9)
    wrapper = Wrapper()
    save_file(wrapper.state_dict(), "export.safetensors")
    tokens = torch.tensor([[0, 4, 2], [3, 3, 1], [1, 0, 4], [2, 2, 0]])
    with torch.no_grad():
        logits = wrapper.model.double()(tokens)
    save("export_reference.safetensors", {"tokens": tokens.double(), "logits": logits})


class TiedModel(nn.Module):
    """PyTorch's examples/word_language_model RNNModel('LSTM', ..., tie_weights=True), its forward inlined."""

    def __init__(self, tokens, size, layers):
        super().__init__()
        self.drop = nn.Dropout(0.5)
        self.encoder = nn.Embedding(tokens, size)
        self.rnn = nn.LSTM(size, size, layers, dropout=0.5)
        self.decoder = nn.Linear(size, tokens)
        self.decoder.weight = self.encoder.weight

    def forward(self, tokens):
        output, _ = self.rnn(self.drop(self.encoder(tokens)))
        return self.decoder(self.drop(output)).view(-1, self.decoder.out_features)


def tied_fixture():
    torch.manual_seed(11)
    model = TiedModel(6, 3, 2).double().eval()
    nn.init.uniform_(model.decoder.bias, -0.1, 0.1)  # nonzero, so a bias read from the wrong place shows
    save("tied_lm.safetensors", dict(model.state_dict()))
    tokens = torch.tensor([[0, 5], [3, 3], [1, 4], [2, 0]])
    targets = torch.tensor([[3, 3], [1, 4], [2, 0], [5, 1]])
    logits = model(tokens)
    loss = nn.functional.cross_entropy(logits, targets.view(-1))
    loss.backward()
    tensors = {"tokens": tokens.double(), "targets": targets.double(), "logits": logits, "loss": loss.reshape(1)}
    for pname, p in model.named_parameters():
        tensors["grad." + pname] = p.grad
    save("tied_lm_reference.safetensors", tensors)


def main():
    torch.manual_seed(1)
    fixture("lstm", nn.LSTM(2, 3, num_layers=2, bidirectional=True).double())
    torch.manual_seed(2)
    fixture("gru", nn.GRU(2, 3, num_layers=2, bidirectional=True).double())
    torch.manual_seed(3)
    fixture("rnn", nn.RNN(2, 3, num_layers=2, nonlinearity="tanh", bidirectional=True).double())
    torch.manual_seed(4)
    fixture("lstm_nobias", nn.LSTM(2, 3, num_layers=2, bias=False, bidirectional=True).double())
    torch.manual_seed(5)
    fixture("gru_nobias", nn.GRU(2, 3, num_layers=2, bias=False, bidirectional=True).double())
    torch.manual_seed(6)
    fixture("rnn_nobias", nn.RNN(2, 3, num_layers=2, nonlinearity="tanh", bias=False, bidirectional=True).double())
    torch.manual_seed(8)
    fixture("lstm_proj", nn.LSTM(2, 3, num_layers=2, bidirectional=True, proj_size=2).double())
    export_fixture()
    tied_fixture()
    for seed, name, make in ((1, "lstm", lambda: nn.LSTM(2, 3, num_layers=2, bidirectional=True)),
                             (2, "gru", lambda: nn.GRU(2, 3, num_layers=2, bidirectional=True)),
                             (3, "rnn", lambda: nn.RNN(2, 3, num_layers=2, nonlinearity="tanh", bidirectional=True))):
        torch.manual_seed(seed)
        fixture(name + "_f32", make().float(), torch.float32)


if __name__ == "__main__":
    main()
