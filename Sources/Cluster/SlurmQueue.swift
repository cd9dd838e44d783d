import Foundation

/// What Slurm says about the tasks of an array job.
enum SlurmQueue {
    /// Slurm job states in which a task has not ended yet.
    static let active: Set<String> = [
        "PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "RESIZING",
        "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT", "RESV_DEL_HOLD", "SPECIAL_EXIT",
    ]

    /// The state of each task of `job` the controller still knows (finished ones for `MinJobAge`);
    /// empty when it forgot the whole job.
    static func tasks(of job: String) throws -> [Int: String] {
        let out = try SlurmCommand.run("squeue", ["-h", "-r", "-t", "all", "-j", job, "-o", "%K|%T"], check: false)
        guard out.status == 0 else {
            if out.stderr.contains("Invalid job id") { return [:] }
            throw ClusterError(.slurm, "squeue -j \(job): exit status \(out.status): \(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        var states: [Int: String] = [:]
        for line in out.stdout.split(separator: "\n") {
            let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            // A pending range not yet split into tasks: "2-5" or "2-5%2".
            let ids = parts[0].split(separator: "%")[0]
            if let k = Int(ids) {
                states[k] = parts[1]
            } else {
                for range in ids.split(separator: ",") {
                    let ends = range.split(separator: "-").compactMap { Int($0) }
                    if ends.count == 2, ends[0] <= ends[1] { for k in ends[0]...ends[1] { states[k] = parts[1] } }
                }
            }
        }
        return states
    }
}
