import ArgumentParser
import Foundation
import Store
import Synthesis

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bulk-import designs and labels into the database.",
        discussion: """
            Every importer reads and checks all of its input before it writes anything, then writes in \
            one transaction. A bad row is reported as file:line: reason; by default one bad row \
            stops the import with nothing written (exit 65), while --skip-bad imports the valid rows \
            and counts the bad ones.

            Labels name their design; a name matches an imported design of that name, or else one \
            named with a trailing _orig (OpenABC-D's ac97_ctrl is the file ac97_ctrl_orig.bench), so \
            import designs first. A stored ok label is never overwritten; a failed one is.

            Examples:
              qor import designs designs/gen ../shared/designs/openabcd/bench
              qor import csv db/labels.csv.gz
              qor import lostin ~/data/lostin --library-name lostin-nangate45
              qor import openabcd ~/data/openabcd --library-name openabcd-nangate45
            """,
        subcommands: [ImportDesigns.self, ImportCSV.self, ImportLostin.self, ImportOpenABCD.self]
    )
}

/// Options shared by the importers.
struct ImportOptions: ParsableArguments {
    @Flag(help: "Import the valid rows and count the bad ones, instead of importing nothing.")
    var skipBad = false

    @Flag(help: "Print the summary as one JSON object on standard output.")
    var json = false

    @Flag(help: "No progress bar and no summary line on standard error.")
    var quiet = false
}

/// The library option of the label importers.
struct LibraryNameOption: ParsableArguments {
    @Option(help: "Library recorded for labels that do not name one (the built-in nangate45 by that name, an existing library of that name, else a new 'external' one).")
    var libraryName = "nangate45"
}

/// `--library-name` for datasets labelled elsewhere (LOSTIN, OpenABC-D): their numbers come from
/// another ABC run with another library file, so no default may tie them to a library of ours.
struct DatasetLibraryOption: ParsableArguments {
    @Option(help: "Library the dataset was labelled with, recorded for its labels (required: a name of its own, e.g. lostin-nangate45, keeps them apart from qor's own runs).")
    var libraryName: String
}

extension ImportOptions {
    /// Prints problems that --skip-bad leaves behind, at most `ImportError.listed` of them.
    func warn(_ problems: [ImportProblem]) {
        guard !quiet else { return }
        for p in problems.prefix(ImportError.listed) { notice("warning: \(p)") }
        if problems.count > ImportError.listed { notice("warning: ... and \(problems.count - ImportError.listed) more") }
    }

    /// Checks, writes and reports a label import: the part every label importer shares.
    func write(_ plan: LabelImportPlan, from source: String, command: String, to store: Store) throws {
        try plan.check(skipBad: skipBad)
        warn(plan.problems)
        if plan.batch.duplicates > 0, !quiet {
            notice("merged \(plan.batch.duplicates) rows that repeat the key of an earlier row with the same label (or a failed run beside an ok label)")
        }
        let progress = Progress("import", total: plan.batch.rows.count, quiet: quiet)
        let run = try store.startRun(command: command, arguments: Array(CommandLine.arguments.dropFirst()))
        var reported = 0
        let counts: LabelImportCounts
        do {
            counts = try store.importLabels(plan.batch, builtIn: [(CellLibrary.nangate45.name, CellLibrary.nangate45.id)]) { done in
                progress.advance(done - reported)
                reported = done
            }
        } catch {
            try? store.endRun(run, status: "failed")
            throw error
        }
        try store.endRun(run, status: "ok")
        let fields: [(String, Int)] = [
            ("labels", plan.batch.rows.count), ("written", counts.written), ("unchanged", counts.unchanged),
            ("new_flows", counts.newFlows), ("new_libraries", counts.newLibraries), ("bad_rows", plan.problems.count),
            ("failed_runs", plan.failedRuns), ("duplicates", plan.batch.duplicates), ("left_out", plan.leftOut),
        ]
        if json { print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}") }
        var skipped: [String] = []
        if !plan.problems.isEmpty { skipped.append("\(plan.problems.count) bad rows") }
        if plan.failedRuns > 0 { skipped.append("\(plan.failedRuns) failed runs") }
        if plan.leftOut > 0 { skipped.append("\(plan.leftOut) labels of bad flows") }
        progress.finish(
            "\(plan.batch.rows.count) labels from \(source): \(counts.written) written, \(counts.unchanged) unchanged (ok label kept); "
                + "\(counts.newFlows) new flows, \(counts.newLibraries) new libraries"
                + (skipped.isEmpty ? "" : "; skipped \(skipped.joined(separator: ", "))"))
    }
}
