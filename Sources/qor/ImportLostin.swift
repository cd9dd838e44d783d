import ArgumentParser
import Store

struct ImportLostin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lostin",
        abstract: "Import labels laid out as in the LOSTIN dataset.",
        discussion: """
            The directory (searched recursively) holds flow_<L>.csv, one flow a line with steps separated \
            by ';' (b; rw; rwz; rf; rfz; resub; resub -z; ...), and beside it \
            area_ground_truth_<design>_flow_<L>.csv and delay_ground_truth_<design>_flow_<L>.csv with one \
            number a line, line i belonging to flow i. A 0 marks a failed run: it is skipped and counted. \
            The designs must already be imported (qor import designs); labels are recorded for the \
            library named by --library-name.

            Example:
              qor import designs ../shared/designs/epfl/arithmetic
              qor import lostin ~/data/lostin --library-name lostin-nangate45
              qor import lostin ~/data/lostin --library-name lostin-nangate45 --design sin --design voter --first-flows 1000
            """
    )

    @Argument(help: "Directory of the dataset.")
    var directory: String

    @OptionGroup var library: DatasetLibraryOption
    @OptionGroup var part: DatasetSubsetOptions
    @OptionGroup var options: ImportOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            let store = try database.open()
            let plan = try LostinDataset.read(
                directory: directory, designs: DesignNames(store.designs()), library: library.libraryName, subset: part.subset)
            try options.write(plan, from: directory, command: "import lostin", to: store)
        }
    }
}
