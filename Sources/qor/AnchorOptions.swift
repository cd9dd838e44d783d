import ArgumentParser
import Workflows

/// `--anchor N` / `--no-anchor`: how a design the model has not seen is predicted.
struct AnchorOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "For a design the model did not see in training: the true QoR of N flows typical of the model's training data (1 to 3) anchors the predictions. Labels already in the database are used (also ones imported for an external library); ABC runs for the rest, once (they are stored), with the model's cell library (--genlib, --liberty or --lut when it is not the default).",
            valueName: "N"))
    var anchor = 1

    @Flag(help: "Predict a design the model did not see from the model alone: no ABC run, but its overall delay and area level can be off by tens of percent.")
    var noAnchor = false

    func validate() throws {
        guard (1...3).contains(anchor) else { throw ValidationError("--anchor \(anchor): expected 1 to 3 (at most --anchor 3)") }
    }

    /// The anchoring these options ask for (nil: `--no-anchor`).
    func choice(_ library: LibraryOptions, jobs: Int) throws -> Anchoring? {
        noAnchor ? nil : Anchoring(count: anchor, library: try library.library(), jobs: jobs)
    }
}
