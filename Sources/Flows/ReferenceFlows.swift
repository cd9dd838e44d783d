extension Flow {
    /// ABC's standard scripts resyn2, resyn and resyn2a (as in ABC's `abc.rc`, and `flows/*.flow`), in that
    /// order: the flows `qor predict --calibrate` runs on a design the model has not seen.
    public static let references: [(name: String, flow: Flow)] = [
        ("resyn2", "b; rw; rf; b; rw; rwz; b; rfz; rwz; b"),
        ("resyn", "b; rw; rwz; b; rwz; b"),
        ("resyn2a", "b; rw; b; rw; rwz; b; rwz; b"),
    ].compactMap { name, text in (try? Flow.parse(text)).map { (name, $0) } }
}
