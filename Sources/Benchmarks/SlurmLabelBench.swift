import Foundation

/// `qor bench label --slurm`: the same keys labelled by a Slurm array and by the local labeller,
/// each into a fresh database, with where the array's extra time and CPU go.
enum SlurmLabelBench {
    struct Side {
        var wall: Double
        /// CPU seconds of the command and everything it waited for (ABC, sbatch, squeue).
        var cpu: Double
    }

    static func run(qor: String, designs: [String], flowsPath: String, dir: String, jobs: Int, arraySize: Int) throws -> String {
        let local = try timed(qor, ["label", "--db", "\(dir)/local.sqlite", "--flows", flowsPath, "--jobs", "\(jobs)", "--quiet", "--designs"] + designs)

        let daemonsBefore = daemonCPU()
        var output = ""
        let slurm = try timed(qor, [
            "label", "--db", "\(dir)/slurm.sqlite", "--flows", flowsPath, "--slurm", "--wait", "--array-size", "\(arraySize)",
            "--poll", "1", "--json", "--designs",
        ] + designs) { output = $0 }
        let daemons = daemonCPU() - daemonsBefore
        guard let o = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            let folder = o["folder"] as? String, let keys = o["labelled"] as? Int
        else { throw BenchError("qor label --slurm printed no summary: \(output)") }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/run.json"))) as? [String: Any]
        let submitted = manifest?["submitted"] as? Double ?? 0

        // The last line each task wrote to its log: its span and CPU.
        var starts: [Double] = [], ends: [Double] = [], taskCPU = 0.0, taskSpan = 0.0
        for k in 0..<(o["tasks"] as? Int ?? 0) {
            let log = (try? String(contentsOfFile: "\(folder)/shard-\(k).log", encoding: .utf8)) ?? ""
            guard let line = log.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
                let t = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let s = t["started"] as? Double, let e = t["ended"] as? Double
            else { continue }
            starts.append(s)
            ends.append(e)
            taskSpan += e - s
            taskCPU += t["cpu_seconds"] as? Double ?? 0
        }
        let waitSeconds = o["wait_seconds"] as? Double ?? 0
        let fields: [(String, Double)] = [
            ("labels", Double(keys)), ("jobs", Double(jobs)), ("tasks", Double(o["tasks"] as? Int ?? 0)),
            ("local_wall_seconds", local.wall), ("local_cpu_seconds", local.cpu), ("local_labels_per_second", Double(keys) / local.wall),
            ("slurm_wall_seconds", slurm.wall), ("slurm_labels_per_second", Double(keys) / slurm.wall),
            ("slurm_cpu_seconds", slurm.cpu + taskCPU), ("slurm_submit_side_cpu_seconds", slurm.cpu), ("slurm_task_cpu_seconds", taskCPU),
            ("slurm_daemon_cpu_seconds", daemons),
            ("ratio_wall", slurm.wall / local.wall),
            ("plan_seconds", o["plan_seconds"] as? Double ?? 0), ("submit_seconds", o["submit_seconds"] as? Double ?? 0),
            ("queue_to_first_task_seconds", (starts.min() ?? submitted) - submitted),
            ("task_seconds_sum", taskSpan),
            ("last_task_end_to_wait_end_seconds", submitted + waitSeconds - (ends.max() ?? submitted)),
            ("wait_seconds", waitSeconds), ("merge_seconds", o["merge_seconds"] as? Double ?? 0),
        ]
        // Each task's start and end, in seconds after submission.
        let spans = zip(starts, ends).map { "[\(($0 - submitted) * 1000 .rounded() / 1000),\(($1 - submitted) * 1000 .rounded() / 1000)]" }
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + ",\"task_spans\":[\(spans.joined(separator: ","))]}"
    }

    /// Wall and CPU seconds of one run of the command.
    static func timed(_ executable: String, _ arguments: [String], output: (String) -> Void = { _ in }) throws -> Side {
        let cpu0 = childrenCPU()
        let start = DispatchTime.now().uptimeNanoseconds
        let text = try ProcessTimer.output(executable, arguments)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        output(text.split(separator: "\n").last(where: { $0.hasPrefix("{") }).map(String.init) ?? text)
        return Side(wall: wall, cpu: childrenCPU() - cpu0)
    }

    static func childrenCPU() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    /// CPU seconds so far of slurmctld and slurmd of `scripts/slurm-local.sh` (0 where unknown).
    static func daemonCPU() -> Double {
        let dir = ProcessInfo.processInfo.environment["QOR_SLURM_DIR"] ?? "/tmp/qor-slurm"
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var total = 0.0
        for name in ["slurmctld", "slurmd"] {
            guard let pid = (try? String(contentsOfFile: "\(dir)/\(name).pid", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // After the command name: state is field 3, utime 14, stime 15 (1-based over the whole line).
            if fields.count > 12, let u = Double(fields[11]), let s = Double(fields[12]) { total += (u + s) / ticks }
        }
        return total
    }

    struct BenchError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
