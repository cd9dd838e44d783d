#!/usr/bin/env python3
"""The PyTorch Geometric side of `qor bench train --compare-pyg`.

qor exports a training workload to a folder (TrainingWorkload.export): workload.json (family,
sizes, optimiser with its per-step learning rates, steps), weights.safetensors (initial parameters by qor's names, linear weights
[in, out]) and batches.safetensors (each design's node features, statistics and four CSR
aggregation operators; each step's tokens, lengths, flow summaries and loss targets). This
script builds the identical model (sequence: GIN + LSTM + fusion; supernode: the GNN pass per
flow with a virtual node), checks nothing itself but prints its first-step loss, then trains the
same steps once per "round" line on stdin, from the initial weights each time.

Protocol (one JSON object per line on stdout):
  ready: {"torch", "torch_geometric", "first_loss", "aggregation", "threads"}
  per "round" line read: {"seconds", "cpu_seconds", "last_loss"}
"""
import argparse
import json
import struct
import sys
import time
import warnings

warnings.filterwarnings("ignore")  # torch's deprecation and sparse-CSR "beta" notices: the numbers are checked against qor's
import torch
import torch.nn.functional as F
import torch_geometric
from torch_geometric.utils import scatter, spmm


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    kinds = {"F32": torch.float32, "I32": torch.int32}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        lo, hi = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[base + lo:base + hi]), dtype=kinds[info["dtype"]]) if hi > lo \
            else torch.zeros(0, dtype=kinds[info["dtype"]])
        out[name] = t.reshape(info["shape"])
    return out


class Graph:
    """One design: features, statistics and its four aggregation operators (fanins plain and
    inverted, summed; fanouts plain and inverted, averaged), as CSR for spmm or as an edge list
    with weights for PyG's gather/scatter."""

    def __init__(self, b, d, aggregation):
        self.features = b[f"d{d}.features"]
        self.stats = b[f"d{d}.stats"]
        self.nodes = self.features.shape[0]
        self.aggregation = aggregation
        self.ops = []
        for k in range(4):
            indptr = b[f"d{d}.op{k}.indptr"].long()
            indices = b[f"d{d}.op{k}.indices"].long()
            values = b[f"d{d}.op{k}.values"]
            if aggregation == "csr":
                self.ops.append(torch.sparse_csr_tensor(indptr, indices, values, (self.nodes, self.nodes)))
            else:
                rows = torch.repeat_interleave(torch.arange(self.nodes), indptr[1:] - indptr[:-1])
                self.ops.append((rows, indices, values.unsqueeze(1)))

    def aggregate(self, k, h):
        """Operator k applied to node states h [nodes, width]."""
        if self.aggregation == "csr":
            return spmm(self.ops[k], h, reduce="sum")
        rows, cols, w = self.ops[k]
        return scatter(h.index_select(0, cols) * w, rows, 0, dim_size=self.nodes, reduce="sum")


class QorModule(torch.nn.Module):
    """Parameters under qor's names ('.' -> '__'), linear weights [in, out] as qor keeps them."""

    def __init__(self, weights):
        super().__init__()
        self.params = torch.nn.ParameterDict({k.replace(".", "__"): torch.nn.Parameter(v.clone()) for k, v in weights.items()})

    def p(self, name):
        return self.params[name.replace(".", "__")]

    def linear(self, name, x, bias=True):
        w = self.p(name + ".weight")
        return torch.addmm(self.p(name + ".bias"), x, w) if bias and x.dim() == 2 else \
            (x @ w + self.p(name + ".bias") if bias else x @ w)

    def mlp(self, name, x, layers, activate_last=False):
        for i in range(layers):
            x = self.linear(f"{name}.{i}", x)
            if i < layers - 1 or activate_last:
                x = F.relu(x)
        return x

    def conv(self, name, h, g, copies, width):
        """qor's AigConvolution: h' = LN(h + relu(W [h, A0 h, A1 h, A2 h, A3 h])) on [nodes, copies * width]."""
        n = g.nodes
        parts = [h] + [g.aggregate(k, h) for k in range(4)]
        joined = torch.cat([p.reshape(n, copies, width) for p in parts], dim=2)
        z = F.relu(self.linear(f"{name}.linear", joined.reshape(n * copies, 5 * width))).reshape(n, copies, width)
        s = h.reshape(n, copies, width) + z
        out = F.layer_norm(s, (width,), self.p(f"{name}.norm.weight"), self.p(f"{name}.norm.bias"), 1e-5)
        return out.reshape(n, copies * width)

    def embed(self, ids):
        t = ids.shape[1]
        return self.p("flow.embedding.tokens.weight")[ids] + self.p("flow.embedding.positions.weight")[:t].unsqueeze(0)


def masked_mean(x, lengths):
    if bool((lengths == x.shape[1]).all()):
        return x.mean(dim=1)
    mask = (torch.arange(x.shape[1]).unsqueeze(0) < lengths.unsqueeze(1)).to(x.dtype).unsqueeze(2)
    return (x * mask).sum(dim=1) / lengths.clamp(min=1).to(x.dtype).unsqueeze(1)


class SequenceModel(QorModule):
    def __init__(self, weights, sizes):
        super().__init__(weights)
        self.s = sizes
        e, h, layers = sizes["embedding"], sizes["flow_width"], sizes["flow_layers"]
        # torch's fused LSTM with qor's weights (gates i, f, g, o; one bias: bias_hh stays zero).
        self.lstm = torch.nn.LSTM(input_size=e, hidden_size=h, num_layers=layers, batch_first=True)
        with torch.no_grad():
            for l in range(layers):
                getattr(self.lstm, f"weight_ih_l{l}").copy_(weights[f"flow.lstm.{l}.input_weight"].t())
                getattr(self.lstm, f"weight_hh_l{l}").copy_(weights[f"flow.lstm.{l}.hidden_weight"].t())
                getattr(self.lstm, f"bias_ih_l{l}").copy_(weights[f"flow.lstm.{l}.bias"])
                getattr(self.lstm, f"bias_hh_l{l}").zero_()
                getattr(self.lstm, f"bias_hh_l{l}").requires_grad_(False)
        for l in range(layers):
            for k in ("input_weight", "hidden_weight", "bias"):
                del self.params[f"flow__lstm__{l}__{k}"]

    def encode_flows(self, ids, lengths):
        x = self.embed(ids)
        if bool((lengths == ids.shape[1]).all()):
            _, (hn, _) = self.lstm(x)
        else:
            packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            _, (hn, _) = self.lstm(packed)
        return hn[-1]

    def design(self, g):
        s = self.s
        h = F.relu(self.linear("graph.input", g.features))
        for l in range(s["graph_layers"]):
            h = self.conv(f"graph.layer{l}", h, g, 1, s["hidden"])
        pooled = torch.cat([h.mean(dim=0, keepdim=True), h.max(dim=0, keepdim=True).values, g.stats], dim=1)
        return self.mlp("graph.readout", pooled, 2, activate_last=True)

    def forward(self, step, graphs):
        f = torch.cat([self.encode_flows(step["ids"], step["lengths"]), step["summary"]], dim=1)
        effects, levels, start = [], [], 0
        for group in step["groups"]:
            g = graphs[group["design"]]
            encoded = self.design(g)
            d = torch.cat([encoded + self.p("design.memory.weight")[group["memory"]].unsqueeze(0), g.stats], dim=1)
            additive = self.linear("fusion.design", d)
            gate = torch.tanh(self.linear("fusion.gate", d)) + 1
            levels.append(self.mlp("design.level", torch.cat([encoded, g.stats], dim=1), 2))
            rows = f[start:start + group["flows"]]
            start += group["flows"]
            hidden = F.relu(self.linear("fusion.flow", rows, bias=False) + additive + self.linear("fusion.product", rows * gate, bias=False))
            effects.append(self.mlp("fusion.head", hidden, 2))
        return torch.cat(effects, dim=0), torch.cat(levels, dim=0)


class SupernodeModel(QorModule):
    def __init__(self, weights, sizes):
        super().__init__(weights)
        self.s = sizes

    def forward(self, step, graphs):
        (group,) = step["groups"]
        g = graphs[group["design"]]
        h, b, n = self.s["hidden"], step["ids"].shape[0], g.nodes
        v = self.mlp("flow.start", masked_mean(self.embed(step["ids"]), step["lengths"]), 2)
        x0 = F.relu(self.linear("graph.input", g.features))
        x = x0.repeat(1, b)
        for k in range(self.s["graph_layers"]):
            x = x + self.linear(f"virtual.to_nodes{k}", v).reshape(1, b * h)
            x = self.conv(f"graph.layer{k}", x, g, b, h)
            pooled = x.mean(dim=0).reshape(b, h)
            v = v + self.mlp(f"virtual.update{k}", torch.cat([v, pooled], dim=1), 2)
        mean = x.mean(dim=0).reshape(b, h)
        mx = x.max(dim=0).values.reshape(b, h)
        stats = g.stats.expand(b, -1)
        remembered = self.p("design.memory.weight")[group["memory"]].unsqueeze(0).expand(b, -1)
        out = self.mlp("head", torch.cat([mean, mx, v, remembered, stats], dim=1), 3)
        return out[:, 0:2], out[:, 2:4]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True, help="folder qor exported the workload to")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--aggregation", choices=["csr", "scatter"], default="csr",
                    help="PyG's spmm on CSR operators, or gather/scatter on edge lists (MessagePassing's way)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with open(f"{args.dir}/workload.json") as f:
        work = json.load(f)
    weights = read_safetensors(f"{args.dir}/weights.safetensors")
    b = read_safetensors(f"{args.dir}/batches.safetensors")
    designs = {gr["design"] for s in work["steps"] for gr in s["groups"]}
    graphs = {d: Graph(b, d, args.aggregation) for d in designs}
    steps = []
    for i, s in enumerate(work["steps"]):
        steps.append({"groups": s["groups"], "ids": b[f"s{i}.ids"].long(), "lengths": b[f"s{i}.lengths"].long(),
                      "summary": b[f"s{i}.summary"], "effect": b[f"s{i}.effect"], "level": b[f"s{i}.level"]})
    family = {"sequence": SequenceModel, "supernode": SupernodeModel}[work["kind"]]

    def train(count):
        model = family(weights, work["sizes"])
        params = [p for p in model.parameters() if p.requires_grad]
        opt = torch.optim.AdamW(params, lr=work["learning_rate"], weight_decay=work["weight_decay"], eps=1e-8)
        losses = []
        for s, rate in zip(steps[:count], work["learning_rates"]):
            for group in opt.param_groups:
                group["lr"] = rate
            effect, level = model(s, graphs)
            loss = F.mse_loss(effect, s["effect"]) + F.mse_loss(level, s["level"])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, work["clip_norm"])
            opt.step()
            losses.append(loss.item())
        return losses

    first = train(1)[0]
    print(json.dumps({"torch": torch.__version__, "torch_geometric": torch_geometric.__version__, "first_loss": first,
                      "aggregation": args.aggregation, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if line.strip() != "round":
            continue
        t0, c0 = time.perf_counter(), time.process_time()
        losses = train(len(steps))
        print(json.dumps({"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0, "last_loss": losses[-1]}), flush=True)


if __name__ == "__main__":
    main()
