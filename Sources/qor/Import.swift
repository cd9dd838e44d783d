import ArgumentParser
import Foundation
import Store
import Workflows

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

/// A part of a dataset to import instead of all of it.
struct DatasetSubsetOptions: ParsableArguments {
    @Option(name: .customLong("design"), help: "Import only this design's labels (the dataset's name for it); repeat for more.")
    var designs: [String] = []

    @Option(help: "Import only the first N flows of the dataset (LOSTIN: lines of flow_<L>.csv; OpenABC-D: recipes with sid below N).")
    var firstFlows: Int?

    func validate() throws {
        try OptionCheck.count(firstFlows, "first-flows", in: 1...100_000_000)
    }

    var subset: DatasetSubset { DatasetSubset(designs: designs.isEmpty ? nil : Set(designs), flowsBelow: firstFlows) }
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
        var reported = 0
        let counts = try store.importLabels(plan, command: command) { done in
            progress.advance(done - reported)
            reported = done
        }
        if json { print(plan.json(counts)) }
        progress.finish(plan.summary(counts, source: source))
    }
}
