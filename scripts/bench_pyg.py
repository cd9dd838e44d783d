#!/usr/bin/env python3
"""PyTorch / PyTorch Geometric side of `qor bench tensor --compare-pyg PYTHON`.

Runs the same workload as `qor bench tensor` (Sources/Tensor/Benchmarks.swift) and prints one
JSON object with the same keys:

- gemm: torch.mm GFLOP/s for the same shapes.
- spmm: one AIG-like graph (seed 2) of 10x the GIN sizes, width 64: torch.sparse.mm on CSR
  (what torch_geometric.utils.spmm calls for sum), and index_select + index_add_ (what
  message passing over edge_index does).
- elementwise: torch.add of 2^24 floats.
- gin: 3 GINConv layers (MLP 4-64-64, 64-64-64, 64-64-64, train_eps), ReLU after each, sum
  pooling, MLP head 64-64-2, MSE loss; batch = `copies` copies of one AIG-like graph (seed 5) as
  a block-diagonal graph. Timed with edge_index (PyG's default scatter path) and with a
  torch.sparse CSR adjacency (PyG's spmm path). Forward runs under torch.no_grad().

The graphs are bit-identical to ours (the same xoshiro256** generator, seeded through
SplitMix64). Weights are ours too (ParameterStore seed 6, same order and bounds) and so are
the features and targets (seed 7) where drawing them in Python is cheap; for those cases the
initial loss is reported so the two engines can be checked to compute the same thing.

Timing matches ours: one warm-up run, then repetitions (at least 3, until about `budget`
seconds, at most 50), median. Needs torch and torch_geometric (in a venv outside the repo):

    python3 -m venv /work/.venv-pyg
    /work/.venv-pyg/bin/pip install torch torch_geometric
    /work/.venv-pyg/bin/python scripts/bench_pyg.py --threads 2
"""

import argparse
import json
import math
import time

import torch
import torch.nn.functional as F
import torch_geometric
from torch_geometric.nn import GINConv, global_add_pool

MASK = (1 << 64) - 1


class SeededGenerator:
    """xoshiro256** seeded through SplitMix64, as Sources/Tensor/Random.swift."""

    def __init__(self, seed):
        z = seed & MASK
        state = []
        for _ in range(4):
            z = (z + 0x9E3779B97F4A7C15) & MASK
            x = z
            x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
            state.append(x ^ (x >> 31))
        self.s = state

    def next(self):
        s0, s1, s2, s3 = self.s
        m = (s1 * 5) & MASK
        result = ((((m << 7) | (m >> 57)) & MASK) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) | (s3 >> 19)) & MASK
        self.s = [s0, s1, s2, s3]
        return result

    def unit(self):
        return (self.next() >> 11) * (2.0 ** -53)

    def uniform(self, rows, cols, bound):
        """Row-major [rows, cols] uniform in [-bound, bound), rounded to float32 like Float(Double)."""
        data = [(self.unit() * 2 - 1) * bound for _ in range(rows * cols)]
        return torch.tensor(data, dtype=torch.float64).to(torch.float32).reshape(rows, cols)


def aig_like_graph(nodes, seed):
    """TensorBenchmark.aigLikeGraph: (targets, sources) of in-degree 2 per non-input node."""
    rng = SeededGenerator(seed)
    inputs = max(2, nodes // 20)
    targets, sources = [], []
    for v in range(inputs, nodes):
        for _ in range(2):
            local = rng.next() & 1 == 0
            span = min(v, 1000) if local else v
            targets.append(v)
            sources.append(v - 1 - rng.next() % span)
    return torch.tensor(targets, dtype=torch.long), torch.tensor(sources, dtype=torch.long)


def block_diagonal(targets, sources, nodes, copies):
    offsets = torch.arange(copies, dtype=torch.long).repeat_interleave(targets.numel()) * nodes
    return targets.repeat(copies) + offsets, sources.repeat(copies) + offsets


def csr_adjacency(targets, sources, nodes):
    """Row = target gathers column = source; duplicate edges summed (as SparseMatrix.adjacency)."""
    indices = torch.stack([targets, sources])
    values = torch.ones(targets.numel(), dtype=torch.float32)
    return torch.sparse_coo_tensor(indices, values, (nodes, nodes)).coalesce().to_sparse_csr()


def median_seconds(body, minimum=3, budget=1.0):
    """TensorBenchmark.time: one warm-up, then at least `minimum` runs until `budget` s (<= 50)."""
    body()
    samples = []
    start = time.perf_counter()
    while len(samples) < minimum or (time.perf_counter() - start < budget and len(samples) < 50):
        t0 = time.perf_counter()
        body()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return samples[len(samples) // 2]


def gemm(m, n, k):
    g = torch.Generator().manual_seed(1)
    a = torch.rand(m, k, generator=g) * 2 - 1
    b = torch.rand(k, n, generator=g) * 2 - 1
    t = median_seconds(lambda: torch.mm(a, b))
    return {"m": m, "n": n, "k": k, "graphGFLOPS": 2.0 * m * n * k / t / 1e9}


def spmm(nodes, width):
    targets, sources = aig_like_graph(nodes, 2)
    a = csr_adjacency(targets, sources, nodes)
    g = torch.Generator().manual_seed(3)
    x = torch.rand(nodes, width, generator=g) * 2 - 1
    t = median_seconds(lambda: torch.sparse.mm(a, x))

    def scatter():
        out = torch.zeros(nodes, width)
        out.index_add_(0, targets, x.index_select(0, sources))
        return out

    scatter_t = median_seconds(scatter)
    nonzeros = a.values().numel()
    bytes_moved = nonzeros * (width * 4 + 8) + nodes * (width * 4 + 4)
    return {"nodes": nodes, "nonzeros": nonzeros, "width": width, "bytes": bytes_moved,
            "spmmGBps": bytes_moved / t / 1e9, "spmmMilliseconds": t * 1e3,
            "indexAddMilliseconds": scatter_t * 1e3}


def elementwise(elements):
    g = torch.Generator().manual_seed(4)
    a = torch.rand(elements, generator=g) * 2 - 1
    b = torch.rand(elements, generator=g) * 2 - 1
    t = median_seconds(lambda: torch.add(a, b))
    return {"elements": elements, "addGBps": 3 * elements * 4 / t / 1e9}


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def load_our_weights(model, store):
    """Sets every Linear (in construction order) to our initial weights: W [in, out] then bias.
    After construction, because GINConv re-initialises its MLP."""
    with torch.no_grad():
        for lin in (m for m in model.modules() if isinstance(m, torch.nn.Linear)):
            bound = 1 / math.sqrt(lin.in_features)
            lin.weight.copy_(store.uniform(lin.in_features, lin.out_features, bound).t())
            lin.bias.copy_(store.uniform(1, lin.out_features, bound).reshape(-1))


class GIN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = torch.nn.ModuleList(
            [GINConv(mlp(sizes), train_eps=True) for sizes in ([4, 64, 64], [64, 64, 64], [64, 64, 64])])
        self.head = mlp([64, 64, 2])
        load_our_weights(self, SeededGenerator(6))

    def forward(self, x, adjacency, batch, graphs):
        h = x
        for conv in self.convs:
            h = F.relu(conv(h, adjacency))
        return self.head(global_add_pool(h, batch, size=graphs))


def gin(nodes, copies, memory_budget, exact_draws):
    total = nodes * copies
    estimate = 40 * total * 64 * 4
    if estimate > memory_budget:
        return {"graphNodes": nodes, "copies": copies, "batchNodes": total,
                "skipped": f"estimated {estimate >> 20} MiB of activations exceeds the {memory_budget >> 20} MiB budget"}
    targets, sources = aig_like_graph(nodes, 5)
    targets, sources = block_diagonal(targets, sources, nodes, copies)
    edge_index = torch.stack([sources, targets])  # PyG: messages flow edge_index[0] -> edge_index[1]
    adj_t = csr_adjacency(targets, sources, total)
    batch = torch.arange(copies, dtype=torch.long).repeat_interleave(nodes)
    exact = total * 4 <= exact_draws
    if exact:
        rng = SeededGenerator(7)
        x = rng.uniform(total, 4, 1.0)
        y = rng.uniform(copies, 2, 1.0)
    else:
        g = torch.Generator().manual_seed(7)
        x = torch.rand(total, 4, generator=g) * 2 - 1
        y = torch.rand(copies, 2, generator=g) * 2 - 1
    model = GIN()
    result = {"graphNodes": nodes, "copies": copies, "batchNodes": total}
    if exact:
        with torch.no_grad():
            result["loss"] = F.mse_loss(model(x, edge_index, batch, copies), y).item()
    for prefix, adjacency in (("", edge_index), ("sparse", adj_t)):
        def forward():
            with torch.no_grad():
                return F.mse_loss(model(x, adjacency, batch, copies), y)

        def forward_backward():
            model.zero_grad(set_to_none=True)
            F.mse_loss(model(x, adjacency, batch, copies), y).backward()

        f = median_seconds(forward, budget=2)
        fb = median_seconds(forward_backward, budget=2)
        key = (lambda s: prefix + s[0].upper() + s[1:]) if prefix else (lambda s: s)
        result[key("forwardMilliseconds")] = f * 1e3
        result[key("forwardBackwardMilliseconds")] = fb * 1e3
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    p.add_argument("--only", default="gemm,spmm,elementwise,gin")
    p.add_argument("--nodes", default=None, help="comma-separated graph sizes (default 1000,10000,100000)")
    p.add_argument("--quick", action="store_true", help="small sizes only")
    p.add_argument("--copies", type=int, default=32)
    p.add_argument("--memory-budget-mib", type=int, default=6144)
    p.add_argument("--exact-draws", type=int, default=200_000,
                   help="draw features with our generator when nodes * 4 is at most this (slow in Python)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    sizes = [int(s) for s in args.nodes.split(",")] if args.nodes else ([1000] if args.quick else [1000, 10_000, 100_000])
    parts = set(args.only.split(","))
    budget = args.memory_budget_mib << 20
    shapes = [(256, 256, 256), (4096, 64, 64)] if args.quick else [(1024, 1024, 1024), (4096, 64, 64)]
    report = {
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "torchGeometric": torch_geometric.__version__,
        "gemm": [gemm(*s) for s in shapes] if "gemm" in parts else [],
        "spmm": [spmm(n * (1 if args.quick else 10), 64) for n in sizes] if "spmm" in parts else [],
        "elementwise": [elementwise(1 << 20 if args.quick else 1 << 24)] if "elementwise" in parts else [],
        "gin": [gin(n, c, budget, args.exact_draws) for n in sizes for c in (1, args.copies)] if "gin" in parts else [],
    }
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
