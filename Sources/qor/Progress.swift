import Foundation

/// A progress line for long work: a bar with done/total, rate and ETA redrawn on a terminal;
/// one summary line at the end when not on a terminal; nothing with `quiet`.
final class Progress: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let quiet: Bool
    private let terminal: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let lock = NSLock()
    private(set) var done = 0
    private var note = ""

    init(_ label: String, total: Int, quiet: Bool) {
        self.label = label
        self.total = total
        self.quiet = quiet
        terminal = isatty(STDERR_FILENO) == 1
    }

    /// Counts `n` more items done; `note` (such as the current loss) is shown after the bar.
    func advance(_ n: Int = 1, note: String? = nil) {
        lock.lock()
        defer { lock.unlock() }
        done += n
        if let note { self.note = note }
        guard terminal, !quiet else { return }
        let now = Date()
        if now.timeIntervalSince(lastDraw) > 0.1 || done == total {
            lastDraw = now
            FileHandle.standardError.write(Data("\r\(line())\u{1B}[K".utf8))
        }
    }

    /// Ends the bar with a final line (always one line, unless quiet).
    func finish(_ summary: String? = nil) {
        lock.lock()
        defer { lock.unlock() }
        guard !quiet else { return }
        let text = summary.map { "\(label): \($0)" } ?? line()
        FileHandle.standardError.write(Data(((terminal ? "\r" : "") + text + (terminal ? "\u{1B}[K\n" : "\n")).utf8))
    }

    private func line() -> String {
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let eta = rate > 0 ? Double(total - done) / rate : 0
        return "\(label) [\(bar)] \(done)/\(total) \(String(format: "%.1f", rate))/s ETA \(Self.clock(eta))"
            + (note.isEmpty ? "" : "  \(note)")
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
