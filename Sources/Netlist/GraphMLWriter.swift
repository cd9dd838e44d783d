import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Writes an AIG as a directed GraphML graph: one node per constant, input, latch, AND gate and
/// output (attributes `kind`, `level`, `name` where the file named it, and `inverted_fanins`
/// on AND gates), one edge per fanin with an `inverted` flag. Latch next states are edges into
/// the latch node.
public enum GraphMLWriter {
    public static func graphML(_ aig: Aig) -> [UInt8] {
        let root = XMLElement(name: "graphml")
        if let ns = XMLNode.namespace(withName: "", stringValue: "http://graphml.graphdrawing.org/xmlns") as? XMLNode {
            root.addNamespace(ns)
        }
        for (id, target, type) in [
            ("kind", "node", "string"), ("level", "node", "int"), ("name", "node", "string"),
            ("inverted_fanins", "node", "int"), ("inverted", "edge", "boolean"),
        ] {
            root.addChild(element("key", ["id": id, "for": target, "attr.name": id, "attr.type": type]))
        }
        let graph = element("graph", ["id": "aig", "edgedefault": "directed"])
        root.addChild(graph)

        let level = aig.levels()
        func node(_ id: String, _ kind: String, _ level: Int32, name: String = "", invertedFanins: Int? = nil) {
            let n = element("node", ["id": id])
            n.addChild(data("kind", kind))
            n.addChild(data("level", String(level)))
            if !name.isEmpty { n.addChild(data("name", name)) }
            if let invertedFanins { n.addChild(data("inverted_fanins", String(invertedFanins))) }
            graph.addChild(n)
        }
        func edge(_ from: Literal, _ to: String) {
            let e = element("edge", ["source": "n\(from.variable)", "target": to])
            e.addChild(data("inverted", from.isComplemented ? "true" : "false"))
            graph.addChild(e)
        }

        node("n0", "const", 0)
        for i in 0..<aig.inputCount { node("n\(aig.input(i).variable)", "input", 0, name: aig.inputNames[i]) }
        for i in 0..<aig.latchCount { node("n\(aig.latch(i).variable)", "latch", 0, name: aig.latchNames[i]) }
        for i in 0..<aig.andCount {
            let v = Int(aig.and(i).variable)
            let inverted = (aig.fanin0[i].isComplemented ? 1 : 0) + (aig.fanin1[i].isComplemented ? 1 : 0)
            node("n\(v)", "and", level[v], invertedFanins: inverted)
        }
        for (i, o) in aig.outputs.enumerated() {
            node("o\(i)", "output", level[Int(o.variable)], name: aig.outputNames[i])
        }
        for i in 0..<aig.andCount {
            let target = "n\(aig.and(i).variable)"
            edge(aig.fanin0[i], target)
            edge(aig.fanin1[i], target)
        }
        for (i, next) in aig.latchNext.enumerated() { edge(next, "n\(aig.latch(i).variable)") }
        for (i, o) in aig.outputs.enumerated() { edge(o, "o\(i)") }

        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return Array(document.xmlData(options: [.nodePrettyPrint]))
    }

    private static func element(_ name: String, _ attributes: [String: String]) -> XMLElement {
        let e = XMLElement(name: name)
        for key in attributes.keys.sorted() {
            if let value = attributes[key], let attribute = XMLNode.attribute(withName: key, stringValue: value) as? XMLNode {
                e.addAttribute(attribute)
            }
        }
        return e
    }

    private static func data(_ key: String, _ value: String) -> XMLElement {
        let d = XMLElement(name: "data", stringValue: value)
        if let attribute = XMLNode.attribute(withName: "key", stringValue: key) as? XMLNode { d.addAttribute(attribute) }
        return d
    }
}
