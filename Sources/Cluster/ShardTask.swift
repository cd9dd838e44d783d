import Flows
import Foundation
import Labelling
import Store
import Synthesis

/// One array task: labels the keys of its shard that the shard's database still lacks, with the
/// local ``Labeller``, writing only that database. A rerun or a requeue resumes where it stopped.
public enum ShardTask {
    public struct Report: Sendable {
        public var shard: Int
        public var summary: Labeller.Summary
        /// Unix times, and the CPU seconds of this process and its ABC children.
        public var started: Double
        public var ended: Double
        public var cpuSeconds: Double
    }

    public static func run(plan path: String, jobs: Int) throws -> Report {
        let started = Date().timeIntervalSince1970
        let plan = try JSONFile.read(ShardPlan.self, path)
        let database = path.hasSuffix(".json") ? String(path.dropLast(5)) + ".sqlite" : path + ".sqlite"
        guard FileManager.default.fileExists(atPath: database) else {
            throw ClusterError(.missingFile, "\(database): no such shard database (planned with \(path))")
        }
        let library = try plan.library.library()
        let store = try Store(path: database)
        let ids = try store.designIDs(hashes: plan.keys.map(\.design))
        var flows: [String: Flow] = [:]
        var keys: [(design: Int64, flow: Flow)] = []
        keys.reserveCapacity(plan.keys.count)
        for key in plan.keys {
            guard let design = ids[key.design] else {
                throw ClusterError(.badInput, "\(path): design \(key.design) is not in \(database)")
            }
            let flow: Flow
            if let f = flows[key.flow] {
                flow = f
            } else {
                do { flow = try Flow.parse(key.flow) } catch { throw ClusterError(.badInput, "\(path): flow '\(key.flow)': \(error)") }
                flows[key.flow] = flow
            }
            keys.append((design, flow))
        }
        let driver = AbcDriver(timeout: plan.timeout)
        _ = try driver.version()
        let summary = try Labeller(store: store, driver: driver, library: library, jobs: jobs).run(keys: keys)
        return Report(
            shard: plan.index, summary: summary, started: started, ended: Date().timeIntervalSince1970, cpuSeconds: cpuSeconds())
    }

    /// User and system time of this process and its waited-for children.
    static func cpuSeconds() -> Double {
        var total = 0.0
        for who in [RUSAGE_SELF.rawValue, RUSAGE_CHILDREN.rawValue] {
            var u = rusage()
            getrusage(__rusage_who_t(who), &u)
            total += Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6
            total += Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
        }
        return total
    }
}
