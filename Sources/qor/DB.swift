import ArgumentParser
import Foundation
import Store

struct DB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Inspect and export the database.",
        subcommands: [DBInfo.self, DBExport.self, DBMerge.self]
    )
}

struct DBInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print how many designs, flows, libraries, labels, models, predictions and runs the database holds.",
        discussion: """
            Example:
              qor db info --db db/qor.sqlite --json
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "One JSON object.") var json = false

    func run() throws {
        try reportingErrors {
            print(try database.openReadOnly().info(json: json))
        }
    }
}

struct DBExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every label as CSV (design, flow, library, status, delay, area, ands, levels, seconds, abc_version).",
        discussion: """
            The file is written to a temporary name and renamed, so it is never half-written.

            Example:
              qor db export --csv labels.csv
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Output CSV file.") var csv: String

    func run() throws {
        try reportingErrors {
            let n = try database.openReadOnly().exportLabelsCSV(to: csv)
            notice("exported \(n) labels to \(csv)")
        }
    }
}

struct DBMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge shard databases (of `qor label --slurm`, or any qor database) into the database.",
        discussion: """
            The rules of `qor label`: an ok label is never overwritten by a failure, a key is stored \
            once, and merging a shard again changes nothing. Every shard is checked before anything \
            is written; a file that is not an intact qor database, or a label of a design, flow or \
            library the database does not hold, is refused (exit 65) and the database is unchanged. \
            Each shard is then merged in its own transaction.

            Example:
              qor db merge db/qor.sqlite.shards/20261201-012345-3f9a/shard-*.sqlite
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Shard databases.") var shards: [String]
    @Flag(help: "A JSON array, one object per shard.") var json = false
    @Flag(help: "No output.") var quiet = false

    func run() throws {
        try reportingErrors {
            printMerge(try database.open().merge(shards: shards), json: json, quiet: quiet)
        }
    }
}
