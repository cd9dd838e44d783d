import Flows
import Netlist
import QoRModel
import Store

/// A design file read for prediction: its AIG, the model's view of it, and the row the database
/// stores for it.
public struct DesignInput: Sendable {
    public var path: String
    public var aig: Aig
    public var sample: DesignSample
    public var newDesign: NewDesign

    public init(path: String, options: ReadOptions) throws {
        self.path = path
        aig = try DesignReader.read(path: path, options: options)
        sample = DesignSample(name: DesignFiles.name(of: path), hash: aig.contentHash, graph: AigGraph(aig))
        let format = DesignReader.detectFormat(file: path, bytes: (try? FileIO.readBytes(path).prefix(4096)).map(Array.init) ?? [])
        newDesign = NewDesign(name: sample.name, format: format?.rawValue ?? "unknown", source: path, aig: aig)
    }
}
