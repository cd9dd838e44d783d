import Store
import Synthesis

extension Store {
    /// Writes a checked label import as a recorded run; a label naming the built-in nangate45
    /// genlib is recorded for it (its content hash), so that `qor label` finds it.
    public func importLabels(_ plan: LabelImportPlan, command: String, progress: @escaping (Int) -> Void) throws -> LabelImportCounts {
        try recordingRun(command) {
            try importLabels(plan.batch, builtIn: [(CellLibrary.nangate45.name, CellLibrary.nangate45.id)], progress: progress)
        }
    }
}

extension LabelImportPlan {
    public func json(_ counts: LabelImportCounts) -> String {
        let fields: [(String, Int)] = [
            ("labels", batch.rows.count), ("written", counts.written), ("unchanged", counts.unchanged),
            ("new_flows", counts.newFlows), ("new_libraries", counts.newLibraries), ("bad_rows", problems.count),
            ("failed_runs", failedRuns), ("duplicates", batch.duplicates), ("left_out", leftOut),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    public func summary(_ counts: LabelImportCounts, source: String) -> String {
        var skipped: [String] = []
        if !problems.isEmpty { skipped.append("\(problems.count) bad rows") }
        if failedRuns > 0 { skipped.append("\(failedRuns) failed runs") }
        if leftOut > 0 { skipped.append("\(leftOut) labels of bad flows") }
        return "\(batch.rows.count) labels from \(source): \(counts.written) written, \(counts.unchanged) unchanged (ok label kept); "
            + "\(counts.newFlows) new flows, \(counts.newLibraries) new libraries"
            + (skipped.isEmpty ? "" : "; skipped \(skipped.joined(separator: ", "))")
    }
}

extension DesignImportPlan {
    public func json(new: Int) -> String {
        let fields: [(String, Int)] = [
            ("files", files), ("new", new), ("existing", alreadyStored.count),
            ("duplicates", duplicates.count), ("bad", problems.count), ("name_clashes", warnings.count),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    public func summary(new: Int) -> String {
        "\(files) files: \(new) new designs, \(alreadyStored.count) already stored, "
            + "\(duplicates.count) duplicate files, \(problems.count) bad files skipped"
    }
}
