// The Tensor module: dense tensors, reverse-mode autodiff, graph layers, optimizers and
// safetensors checkpoints for the QoR models (see ../shared/DESIGN.md).
//
// - `Tensor<S>`: contiguous row-major values (`S` = Float for work, Double for gradient checks).
// - `ParameterStore<S>`: named weights; layers (`Linear`, `MLP`, `GINConv`, `LSTM`, ...) are
//   Sendable structs of `ParameterID`s registered in it at construction (seeded, in order).
// - `Tape<S>`: the tape. Ops are methods returning `Value`s; `backward(loss)` fills gradients;
//   `.inference` mode records nothing. Reuse one graph per loop: `reset()` recycles buffers.
// - Optimizers (`SGD`, `Adam`, `Adam.adamW`) take the gradients from the graph in `step(graph)`.
//
// Training in a few lines:
//
//     let weights = ParameterStore<Float>(seed: 42)
//     let gin = GINConv(weights, "gin", sizes: [4, 64, 64])
//     let head = MLP(weights, "head", sizes: [64, 64, 2])
//     let batch = GraphBatch(edgeLists)                      // block-diagonal batch of graphs
//     let adjacency: SparseMatrix<Float> = batch.adjacency()
//     var opt = Adam<Float>.adamW(learningRate: 1e-3, schedule: .cosine(total: steps), clipNorm: 1)
//     let g = Tape(weights, seed: 7)
//     for _ in 0..<steps {
//         let h = g.relu(gin(g, g.constant(features), adjacency: adjacency))
//         let loss = g.mse(head(g, g.pool(.mean, h, batch.graphs)), g.constant(targets))
//         print(g.scalar(loss))
//         g.backward(loss)
//         opt.step(g)                                          // also resets g
//     }
//     try Checkpoint.save(weights, config: myConfig, to: "model.safetensors")
