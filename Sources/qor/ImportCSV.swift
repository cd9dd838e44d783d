import ArgumentParser
import Store

struct ImportCSV: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Import labels from CSV, such as `qor db export --csv` writes (a .csv.gz is decompressed with gzip).",
        discussion: """
            The header names the columns: design, flow, delay and area are required; library, status, \
            ands, levels, seconds and abc_version are optional, in any order. Fields follow RFC 4180 \
            (double quotes around fields holding commas, quotes or line breaks). Flows may use long or \
            short names (b; rw; rf); status is ok (the default), failed or timeout, and only ok rows \
            need delay and area. A library named in the file is reused when the database has one of \
            that name, else recorded with kind external; rows without one get --library-name.

            Example:
              qor import csv db/labels.csv.gz --db db/qor.sqlite
            """
    )

    @Argument(help: "CSV file (.csv or .csv.gz).")
    var file: String

    @OptionGroup var library: LibraryNameOption
    @OptionGroup var options: ImportOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            let store = try database.open()
            // Drawn on a terminal only; the import's own bar takes its line.
            var reading: Progress?
            var read = 0
            let plan = try LabelCSV.read(path: file, designs: DesignNames(store.designs()), library: library.libraryName) {
                done, lines in
                let bar = reading ?? Progress("read", total: lines, quiet: options.quiet)
                reading = bar
                bar.advance(done - read)
                read = done
            }
            try options.write(plan, from: file, command: "import csv", to: store)
        }
    }
}
