import ArgumentParser
import Store
import Workflows

struct ImportDesigns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "designs",
        abstract: "Import design files (AIGER, BENCH, BLIF, Verilog), walking directories recursively.",
        discussion: """
            Directories are searched for .aig .aag .bench .blif .v .sv .verilog files (hidden entries \
            skipped); files named on the command line are read whatever their extension. Designs are \
            deduplicated by content hash (the structure, names aside): a file equal to an earlier one \
            or to a stored design adds nothing. A design is named by its file's base name without the \
            extension; when two different designs get the same name both are kept, with a warning.

            Example:
              qor import designs designs/gen ../shared/designs/epfl --db db/qor.sqlite
            """
    )

    @Argument(help: "Design files or directories.")
    var paths: [String]

    @OptionGroup var design: DesignOptions
    @OptionGroup var options: ImportOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            let files = try DesignImport.files(in: paths)
            guard !files.isEmpty else {
                throw StoreError(.badInput, "\(paths.joined(separator: " ")): no design files found (expected .aig .aag .bench .blif .v)")
            }
            let store = try database.open()
            let progress = Progress("import designs", total: files.count, quiet: options.quiet)
            let plan = try DesignImport.plan(
                files: files, existing: store.designs(), options: design.readOptions, progress: { progress.advance() })
            if !options.quiet { for w in plan.warnings { notice("warning: \(w)") } }
            try plan.check(skipBad: options.skipBad)
            options.warn(plan.problems)
            let new = try store.recordingRun("import designs") { try store.importDesigns(plan) }
            if options.json { print(plan.json(new: new)) }
            progress.finish(plan.summary(new: new))
        }
    }
}
