import ArgumentParser
import Store

struct ImportOpenABCD: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openabcd",
        abstract: "Import labels laid out as in the OpenABC-D dataset.",
        discussion: """
            The directory (searched recursively) holds the recipe scripts abc<sid>.script, ABC commands one \
            per line with the transformations between the first write_bench and the next (or, when a \
            bench is written after every step, the last), and adp_<design>.csv with the header \
            sid,area,delay. Design names match imported designs, ac97_ctrl matching ac97_ctrl_orig, so \
            import the bench files first. Labels are recorded for the library named by --library-name.

            Example:
              qor import designs ../shared/designs/openabcd/bench
              qor import openabcd ~/data/openabcd --library-name openabcd-nangate45
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
            let plan = try OpenABCDDataset.read(
                directory: directory, designs: DesignNames(store.designs()), library: library.libraryName, subset: part.subset)
            try options.write(plan, from: directory, command: "import openabcd", to: store)
        }
    }
}
