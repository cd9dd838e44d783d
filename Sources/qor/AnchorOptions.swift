import ArgumentParser
import Workflows

/// `--anchor N` / `--no-anchor`: how a design the model has not seen is predicted.
struct AnchorOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "For a design the model did not see in training: the true QoR of the model's first N calibration flows anchors the predictions (the first 3 are typical of its training data and fix the level; from 5 on, the design is also predicted like the 8 training designs whose response to those flows is most like its own, which orders its flows far better: 20, as models trained now name, is best; older models name 3). Labels already in the database are used (also ones imported for an external library); ABC runs for the rest, once (they are stored), with the model's cell library (--genlib, --liberty or --lut when it is not the default).",
            valueName: "N"))
    var anchor = 1

    @Flag(help: "Predict a design the model did not see from the model alone: no ABC run, but its overall delay and area level can be off by tens of percent.")
    var noAnchor = false

    func validate() throws {
        guard anchor >= 1 else { throw ValidationError("--anchor \(anchor): expected at least 1 (at most the model's calibration flows)") }
    }

    /// The anchoring these options ask for (nil: `--no-anchor`).
    func choice(_ library: LibraryOptions, jobs: Int) throws -> Anchoring? {
        noAnchor ? nil : Anchoring(count: anchor, library: try library.library(), jobs: jobs)
    }
}
