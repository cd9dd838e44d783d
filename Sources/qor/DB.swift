import ArgumentParser
import Foundation
import Store

struct DB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Inspect and export the database.",
        subcommands: [DBInfo.self, DBExport.self]
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
            let store = try database.openReadOnly()
            try store.checkIntegrity()
            let c = try store.counts()
            let rows = [
                ("designs", "design"), ("flows", "flow"), ("libraries", "library"), ("labels", "label"),
                ("labels_ok", "label_ok"), ("models", "model"), ("predictions", "prediction"), ("runs", "run"),
            ]
            if json {
                print("{\"db\":\(jsonQuoted(store.path)),"
                    + rows.map { "\"\($0.0)\":\(c[$0.1] ?? 0)" }.joined(separator: ",") + "}")
            } else {
                print("database \(store.path)")
                for (name, key) in rows { print("  \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(c[key] ?? 0)") }
            }
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
