/// Orders signals defined in any order so that each comes after its fanins (iterative DFS, so
/// deep netlists do not exhaust the stack), or finds a combinational loop.
enum DefinitionOrder {
    enum Outcome {
        /// The nodes reachable from the roots, each after all of its fanins.
        case ordered([Int32])
        /// The nodes of a loop, in fanin order: each node is a fanin of the next, the last of the first.
        case loop([Int32])
    }

    /// `fanins(n)` lists the nodes that node `n` reads; leaves return an empty collection.
    static func order<C: Collection<Int32>>(
        count: Int, roots: some Sequence<Int32>, fanins: (Int32) -> C
    ) -> Outcome {
        var state = [UInt8](repeating: 0, count: count)  // 0 new, 1 on the stack, 2 done
        var result: [Int32] = []
        var stack: [(node: Int32, next: Int)] = []
        for root in roots where state[Int(root)] == 0 {
            state[Int(root)] = 1
            stack.append((root, 0))
            while let top = stack.last {
                let list = fanins(top.node)
                if top.next < list.count {
                    stack[stack.count - 1].next += 1
                    let f = list[list.index(list.startIndex, offsetBy: top.next)]
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
}
