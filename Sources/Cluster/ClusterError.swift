/// A problem with a Slurm labelling run: its files, the Slurm commands or its tasks.
public struct ClusterError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// A plan or shard file is not what qor wrote.
        case badInput
        case missingFile
        /// `sbatch`, `squeue` or `scontrol` is missing.
        case toolMissing
        /// A Slurm command failed.
        case slurm
        case io
        case usage
        /// Some array tasks failed: their keys are still missing (rerun or requeue them).
        case incomplete
    }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}
