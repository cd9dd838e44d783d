import ArgumentParser

/// Range checks for numeric options, called from the commands' `validate()`: a number the work
/// cannot use (0 jobs, an infinite timeout, a NaN learning rate) is a usage error (64) before
/// anything is read or written, never a trap or a silently useless run.
enum OptionCheck {
    static func count(_ value: Int, _ option: String, in range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw ValidationError("--\(option) must be in \(range.lowerBound)...\(range.upperBound), found \(value)")
        }
    }

    static func count(_ value: Int?, _ option: String, in range: ClosedRange<Int>) throws {
        if let value { try count(value, option, in: range) }
    }

    /// A finite number above `lower` (excluded: a rate or a timeout of 0 is useless) and at most `upper`.
    static func number(_ value: Double, _ option: String, above lower: Double, upTo upper: Double) throws {
        guard value.isFinite, value > lower, value <= upper else {
            throw ValidationError("--\(option) must be a finite number > \(lower) and <= \(upper), found \(value)")
        }
    }

    /// Parallel processes: at least one, and not more than a machine could run.
    static let jobs = 1...1024
    /// Longest ABC run allowed: a week, in seconds.
    static let timeoutSeconds = 604_800.0
}
