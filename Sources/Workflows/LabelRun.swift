import Common
import Flows
import Foundation
import Labelling
import Netlist
import Store
import Synthesis

/// `qor label`: the library checked and every flow and design read before anything is written,
/// then a run recorded in the database around the labelling (ended as failed on any error, never
/// left "running").
public struct LabelRun {
    public var library: CellLibrary
    public var timeout: Double
    public var flows: [Flow]
    public var designs: [NewDesign]

    /// Checks `library` with ABC, reads the distinct flows of `flows` (`notice` hears of repeats)
    /// and the designs (files or directories), leaving out those above `maxAnds` ANDs.
    public init(designs paths: [String], flows path: String, library: CellLibrary, timeout: Double, readOptions: ReadOptions,
                maxAnds: Int?, notice: (String) -> Void) throws {
        self.library = library
        self.timeout = timeout
        // The library first: a file ABC cannot read is refused before anything is stored.
        try AbcDriver(timeout: timeout).checkLibrary(library)
        let (flows, repeats) = try Flow.loadDistinctList(contentsOf: path)
        repeats.forEach(notice)
        self.flows = flows
        designs = []
        for file in try DesignFiles.collect(paths) {
            let aig = try DesignReader.read(path: file, options: readOptions)
            if let maxAnds, aig.andCount > maxAnds { continue }
            let format = DesignReader.detectFormat(file: file, bytes: Array(try FileIO.readBytes(file).prefix(4096)))
            designs.append(NewDesign(name: DesignFiles.name(of: file), format: format?.rawValue ?? "?", source: file, aig: aig))
        }
    }

    /// Stores the designs and calls `body` with their ids inside a run recorded as `label`.
    public func recorded<T>(in store: Store, _ body: ([Int64]) throws -> T) throws -> T {
        try store.recordingRun("label") { try body(Array(Set(try store.upsertDesigns(designs))).sorted()) }
    }

    /// Labels the missing keys of `designIDs` here, `jobs` ABC processes at a time.
    public func label(store: Store, designIDs: [Int64], jobs: Int, progress: @escaping @Sendable (Labeller.Summary) -> Void) throws -> Labeller.Summary {
        let driver = AbcDriver(timeout: timeout)
        _ = try driver.version()
        return try Labeller(store: store, driver: driver, library: library, jobs: jobs).run(designIDs: designIDs, flows: flows, progress: progress)
    }
}

extension Labeller.Summary {
    /// Keys done so far, for a progress bar.
    public var done: Int { alreadyDone + ok + failed + timedOut }

    /// The note beside the bar when runs failed.
    public var failures: String? { failed + timedOut > 0 ? "\(failed) failed, \(timedOut) timed out" : nil }

    public func line(designs: Int, flows: Int, library: String) -> String {
        "\(ok) labelled, \(failed) failed, \(timedOut) timed out, "
            + "\(alreadyDone) already done of \(total) (\(designs) designs x \(flows) flows, \(library))"
    }

    public func json(library: String) -> String {
        "{\"total\":\(total),\"labelled\":\(ok),\"failed\":\(failed),\"timed_out\":\(timedOut),\"already_done\":\(alreadyDone),\"library\":\(JSONText.quoted(library))}"
    }
}
