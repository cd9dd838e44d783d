#!/usr/bin/env python3
"""PyTorch side of `qor bench predict --compare-torch`: the sequence model's flow side (token and
position embeddings, nn.LSTM, the fusion MLP) with qor's weights, on qor's flows.

qor writes one safetensors file (QoRPredictor.exportFlowSide): embeddings, per LSTM layer W_i
[in, 4H], W_h [H, 4H] and bias (gate order i, f, g, o, as nn.LSTM), fusion.flow/fusion.product
[F, width], the design's additive [1, width] and gate [1, F] terms, head.N.weight/bias, the flows
(ids, lengths, summary) and qor's effects on them. The script checks its effects equal qor's to
1e-4 (effects relative to their largest magnitude, LSTM states absolutely) and exits with status 3 if not, before anything is timed.

Protocol (one process, so that rounds interleave with qor's): prints one JSON line after the
check; then for each line "round" on stdin runs all flows once in batches and prints one JSON line
with wall and CPU seconds (time.perf_counter, time.process_time); stops at EOF.
"""

import argparse
import json
import struct
import sys
import time

import torch


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit(f"{path}: {name} has dtype {info['dtype']}, expected F32")
        lo, hi = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[base + lo:base + hi]), dtype=torch.float32)
        out[name] = t.reshape(info["shape"]) if info["shape"] else t
    return out, header.get("__metadata__", {})


class FlowSide(torch.nn.Module):
    def __init__(self, w, meta):
        super().__init__()
        self.tokens = w["tokens"]
        self.positions = w["positions"]
        layers = int(meta["lstm_layers"])
        e = self.tokens.shape[1]
        h = w["lstm.0.hidden"].shape[0]
        self.lstm = torch.nn.LSTM(input_size=e, hidden_size=h, num_layers=layers, batch_first=True)
        with torch.no_grad():
            for l in range(layers):
                getattr(self.lstm, f"weight_ih_l{l}").copy_(w[f"lstm.{l}.input"].t())
                getattr(self.lstm, f"weight_hh_l{l}").copy_(w[f"lstm.{l}.hidden"].t())
                getattr(self.lstm, f"bias_ih_l{l}").copy_(w[f"lstm.{l}.bias"].reshape(-1))
                getattr(self.lstm, f"bias_hh_l{l}").zero_()
        f, width = w["fusion.flow"].shape
        self.flow = torch.nn.Linear(f, width, bias=False)
        self.product = torch.nn.Linear(f, width, bias=False)
        with torch.no_grad():
            self.flow.weight.copy_(w["fusion.flow"].t())
            self.product.weight.copy_(w["fusion.product"].t())
        self.additive = w["design.additive"].reshape(1, -1)
        self.gate = w["design.gate"].reshape(1, -1)
        head = []
        for i in range(int(meta["head_layers"])):
            weight = w[f"head.{i}.weight"]
            lin = torch.nn.Linear(weight.shape[0], weight.shape[1])
            with torch.no_grad():
                lin.weight.copy_(weight.t())
                lin.bias.copy_(w[f"head.{i}.bias"].reshape(-1))
            head.append(lin)
            if i < int(meta["head_layers"]) - 1:
                head.append(torch.nn.ReLU())
        self.head = torch.nn.Sequential(*head)

    def forward(self, ids, lengths, summary):
        t = ids.shape[1]
        x = self.tokens[ids] + self.positions[:t].unsqueeze(0)
        if bool((lengths == t).all()):
            _, (h, _) = self.lstm(x)
        else:
            packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths.clamp(min=1), batch_first=True, enforce_sorted=False)
            _, (h, _) = self.lstm(packed)
        f = torch.cat([h[-1], summary], dim=1)
        pre = torch.relu(self.flow(f) + self.additive + self.product(f * self.gate))
        return self.head(pre)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--weights", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=4096)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    w, meta = read_safetensors(args.weights)
    model = FlowSide(w, meta).eval()
    ids = w["flows.ids"].to(torch.long)
    lengths = w["flows.lengths"].to(torch.long)
    summary = w["flows.summary"]
    n = ids.shape[0]
    batches = [(ids[s:s + args.batch], lengths[s:s + args.batch], summary[s:s + args.batch]) for s in range(0, n, args.batch)]

    def run():
        with torch.no_grad():
            return torch.cat([model(*b) for b in batches])

    effects = run()
    qor = w["qor.effects"]
    # Effects relative to their largest magnitude (the trained head's outputs are small), and the
    # LSTM's final states (in [-1, 1]) absolutely.
    diff = ((effects - qor).abs().max() / qor.abs().max().clamp(min=1e-30)).item()
    with torch.no_grad():
        t = ids.shape[1]
        x = model.tokens[ids] + model.positions[:t].unsqueeze(0)
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths.clamp(min=1), batch_first=True, enforce_sorted=False)
        _, (h, _) = model.lstm(packed)
    diff = max(diff, (h[-1] - w["qor.encoded"]).abs().max().item())
    ready = {"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "flows": n,
             "max_difference": diff, "dtype": "float32"}
    print(json.dumps(ready), flush=True)
    if not diff <= 1e-4:
        print(f"bench_torch_flow.py: PyTorch's effects differ from qor's by {diff} (> 1e-4)", file=sys.stderr)
        sys.exit(3)
    for line in sys.stdin:
        if line.strip() != "round":
            continue
        t0, c0 = time.perf_counter(), time.process_time()
        run()
        t1, c1 = time.perf_counter(), time.process_time()
        print(json.dumps({"seconds": t1 - t0, "cpu_seconds": c1 - c0}), flush=True)


if __name__ == "__main__":
    main()
