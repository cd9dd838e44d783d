/// Why a synthesis run gave no result. Suggested sysexits codes are given per case.
public enum SynthesisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The tool (ABC, gzip) is not installed or not executable (69).
    case toolMissing(String)
    /// A design or library file does not exist (66).
    case missingInput(String)
    /// An argument is out of range, such as the LUT size (64).
    case badArgument(String)
    /// ABC ran longer than the timeout and was killed (70).
    case timeout(design: String, seconds: Double)
    /// ABC reported an error or died; `message` is its own text (65: usually the design or library).
    case abcFailed(design: String, message: String)
    /// ABC was stopped by SIGINT, SIGTERM or SIGHUP from outside (Ctrl-C, `scancel`, a shutdown),
    /// which is no verdict on the design: nothing is recorded and the run ends (75: try again).
    case interrupted(design: String, signal: Int32)
    /// ABC finished but its output lacks what the driver expected (70).
    case unparsableOutput(design: String, expected: String, excerpt: String)
    /// A temporary file could not be written or read (74).
    case io(String)
    /// A library file ABC cannot use: garbage, empty, or a corrupt `.gz` (65).
    case badLibrary(String, String)

    public var description: String {
        switch self {
        case .toolMissing(let tool): "\(tool): not found; install it (apt-get install berkeley-abc) or pass its path"
        case .missingInput(let path): "\(path): no such file"
        case .badArgument(let message): message
        case .timeout(let design, let seconds): "\(design): ABC did not finish within \(seconds) s and was stopped"
        case .abcFailed(let design, let message): "\(design): ABC failed: \(message)"
        case .interrupted(let design, let signal): "\(design): ABC was interrupted by signal \(signal); nothing was recorded for it"
        case .unparsableOutput(let design, let expected, let excerpt):
            "\(design): expected \(expected) in ABC's output, which ends with:\n\(excerpt)"
        case .io(let message): message
        case .badLibrary(let path, let message): "\(path): \(message)"
        }
    }
}
