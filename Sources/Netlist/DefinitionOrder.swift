/// Orders signals defined in any order so that each comes after its fanins (iterative DFS, so
/// deep netlists do not exhaust the stack), or finds a combinational loop.
enum DefinitionOrder {
    enum Outcome {
        /// The nodes reachable from the roots, each after all of its fanins.
        case ordered([Int32])
        /// The nodes of a loop, in fanin order: each node is a fanin of the next, the last of the first.
        case loop([Int32])
    }

    /// `fanin(n, k)` is the `k`-th node that node `n` reads, or a negative value past the last.
    static func order(count: Int, roots: some Sequence<Int32>, fanin: (Int32, Int) -> Int32) -> Outcome {
        var state = [UInt8](repeating: 0, count: count)  // 0 new, 1 on the stack, 2 done
        var result: [Int32] = []
        var stack: [(node: Int32, next: Int)] = []
        for root in roots where state[Int(root)] == 0 {
            state[Int(root)] = 1
            stack.append((root, 0))
            while let top = stack.last {
                let f = fanin(top.node, top.next)
                if f >= 0 {
                    stack[stack.count - 1].next += 1
                    switch state[Int(f)] {
                    case 0:
                        state[Int(f)] = 1
                        stack.append((f, 0))
                    case 1:
                        guard let start = stack.lastIndex(where: { $0.node == f }) else { continue }
                        return .loop(stack[start...].map(\.node).reversed())
                    default:
                        continue
                    }
                } else {
                    state[Int(top.node)] = 2
                    result.append(top.node)
                    stack.removeLast()
                }
            }
        }
        return .ordered(result)
    }

    /// The same loop, starting at the node with the smallest `key` (such as its line), so that
    /// the error points at the first place in the file.
    static func rotated(_ loop: [Int32], by key: (Int32) -> Int) -> [Int32] {
        guard let start = loop.indices.min(by: { key(loop[$0]) < key(loop[$1]) }) else { return loop }
        return Array(loop[start...] + loop[..<start])
    }
}
