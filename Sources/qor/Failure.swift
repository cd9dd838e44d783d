import ArgumentParser
import Benchmarks
import Cluster
import Flows
import Foundation
import Netlist
import Reports
import Search
import QoRModel
import Store
import Synthesis
import Workflows

/// sysexits(3) codes used by every command.
enum Sysexit: Int32 {
    case usage = 64, dataErr = 65, noInput = 66, unavailable = 69, software = 70, ioErr = 74, tempFail = 75
}

/// Runs `body` and checks that its output reached standard output; a thrown error is printed as one `qor: error: ...` line and turned into its sysexits code.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        let value = try body()
        try StandardOutput.flush()
        return value
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("qor: error: \(cappedLines("\(error)"))\n".utf8))
        throw ExitCode(exitCode(for: error).rawValue)
    }
}

func exitCode(for error: Error) -> Sysexit {
    switch error {
    case let e as NetlistError:
        switch e.kind {
        case .badInput: .dataErr
        case .missingFile: .noInput
        case .toolMissing: .unavailable
        case .io: .ioErr
        }
    case let e as StoreError:
        switch e.kind {
        case .badInput: .dataErr
        case .missingFile: .noInput
        case .io: .ioErr
        case .usage: .usage
        }
    case let e as FlowError:
        switch e.kind {
        case .badInput: .dataErr
        case .missingFile: .noInput
        case .io: .ioErr
        }
    case let e as SynthesisError:
        switch e {
        case .toolMissing: .unavailable
        case .missingInput: .noInput
        case .badArgument: .usage
        case .abcFailed, .badLibrary: .dataErr
        case .timeout, .unparsableOutput: .software
        case .interrupted: .tempFail
        case .io: .ioErr
        }
    case let e as ReportError:
        switch e.kind {
        case .badInput: .dataErr
        case .missingFile: .noInput
        case .io: .ioErr
        }
    case let e as ClusterError:
        switch e.kind {
        case .badInput: .dataErr
        case .missingFile: .noInput
        case .toolMissing, .slurm: .unavailable
        case .io: .ioErr
        case .usage: .usage
        case .incomplete: .tempFail
        }
    case is ImportError, is AnchorError: .dataErr
    case is OutputError: .ioErr
    case let e as SearchError: e.kind == .usage ? .usage : e.kind == .io ? .ioErr : .dataErr
    case is ValidationError, is NMBenchError: .usage
    case let e as ModelError:
        switch e.kind {
        case .badInput, .badCheckpoint: .dataErr
        case .missingFile: .noInput
        case .usage: .usage
        case .io: .ioErr
        }
    default: .software
    }
}

/// Every line of an error message cut at 2,000 characters: a reader that quotes an enormous
/// token must not turn one error into megabytes on the terminal (the importers already quote
/// at most 80 characters of a field).
func cappedLines(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        line.count <= 2000 ? String(line) : "\(line.prefix(2000))… (\(line.utf8.count) bytes)"
    }.joined(separator: "\n")
}

/// Prints a notice to standard error.
func notice(_ message: String) {
    FileHandle.standardError.write(Data("qor: \(message)\n".utf8))
}
