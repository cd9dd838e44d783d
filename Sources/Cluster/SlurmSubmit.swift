import Foundation

/// How to submit the array job.
public struct SubmitOptions: Sendable {
    /// At most this many shards (array tasks).
    public var arraySize = 8
    public var partition: String?
    /// Time limit of each task, in any form sbatch takes (`30`, `1:00:00`).
    public var time: String?
    /// More sbatch options, passed as they are (`--account=lab`, `--cpus-per-task=4`).
    public var sbatchArguments: [String] = []
    /// Seconds before one ABC run is killed.
    public var timeout: Double = 600
    /// The qor executable the tasks run; it must be reachable from the compute nodes.
    public var executable: String

    public init(executable: String) { self.executable = executable }
}

enum SlurmSubmit {
    /// Writes the job script and submits one array over the run's shards; returns the manifest with
    /// the job id. Each task labels `shard-$SLURM_ARRAY_TASK_ID` with as many ABC processes as it
    /// has CPUs; its log is appended to, so a requeued task keeps its history.
    static func submit(_ folder: RunFolder, _ manifest: RunManifest, options: SubmitOptions) throws -> RunManifest {
        var manifest = manifest
        let script = """
            #!/bin/sh
            # qor label run \(manifest.run): one Slurm array task labels one shard into its own database.
            exec \(shellQuoted(options.executable)) label --shard \(shellQuoted(folder.path))/shard-"$SLURM_ARRAY_TASK_ID".json --jobs "${SLURM_CPUS_PER_TASK:-1}"

            """
        try TextFile.write(script, folder.script, mode: 0o755)
        var sbatch = [
            "--job-name=qor-label", "--output=\(folder.path)/shard-%a.log", "--open-mode=append", "--requeue",
            "--chdir=\(folder.path)",
        ]
        if let p = options.partition { sbatch.append("--partition=\(p)") }
        if let t = options.time { sbatch.append("--time=\(t)") }
        sbatch += options.sbatchArguments
        let out = try SlurmCommand.run(
            "sbatch", ["--parsable", "--array=0-\(manifest.shards - 1)"] + sbatch + [folder.script])
        let id = out.stdout.split(whereSeparator: \.isNewline).last.map { String($0.split(separator: ";")[0]) } ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw ClusterError(.slurm, "sbatch: expected a job id, read '\(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines))'")
        }
        manifest.job = id
        manifest.sbatch = sbatch
        manifest.submitted = Date().timeIntervalSince1970
        try JSONFile.write(manifest, folder.manifest)
        return manifest
    }

    static func shellQuoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
