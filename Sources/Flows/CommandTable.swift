/// The ABC commands a flow may use, their options, and the abc.rc short names.
///
/// Only AIG-to-AIG optimisations without choices are listed; options that change what ABC prints
/// (`-v`, `-w`, `-h`) are left out on purpose, because the driver parses ABC's output.
struct CommandSpec: Sendable {
    var name: String
    /// Options that toggle a default.
    var toggles: Set<Character>
    /// Options that take an integer, with the range ABC accepts without failing an assertion.
    var values: [Character: ClosedRange<Int>]
    var summary: String
}

/// A short name from ABC's abc.rc: a command with preset toggles.
struct Alias: Sendable {
    var name: String
    var command: String
    var toggles: [Character]
}

enum CommandTable {
    static let commands: [CommandSpec] = [
        CommandSpec(name: "balance", toggles: ["l", "d", "s", "x"], values: [:], summary: "AIG balancing"),
        CommandSpec(name: "rewrite", toggles: ["l", "z"], values: [:], summary: "4-cut rewriting"),
        CommandSpec(name: "refactor", toggles: ["l", "z"], values: ["N": 2...15], summary: "cone refactoring"),
        CommandSpec(
            name: "resub", toggles: ["l", "z"], values: ["K": 4...16, "N": 0...3, "F": 0...9],
            summary: "resubstitution"),
        CommandSpec(name: "dc2", toggles: ["b", "l", "f", "p"], values: [:], summary: "combinational AIG optimisation"),
        CommandSpec(
            name: "drw", toggles: ["l", "f", "z", "r"], values: ["C": 1...1000, "N": 1...1000],
            summary: "DAG-aware rewriting"),
        CommandSpec(
            name: "drf", toggles: ["e", "l", "z"], values: ["M": 0...1000, "K": 4...15, "C": 2...1000],
            summary: "DAG-aware refactoring"),
        CommandSpec(name: "irw", toggles: ["l", "z"], values: [:], summary: "rewriting (new AIG package)"),
    ]

    static let aliases: [Alias] = [
        Alias(name: "b", command: "balance", toggles: []),
        Alias(name: "rw", command: "rewrite", toggles: []),
        Alias(name: "rwz", command: "rewrite", toggles: ["z"]),
        Alias(name: "rf", command: "refactor", toggles: []),
        Alias(name: "rfz", command: "refactor", toggles: ["z"]),
        Alias(name: "rs", command: "resub", toggles: []),
        Alias(name: "rsz", command: "resub", toggles: ["z"]),
    ]

    static func command(_ name: String) -> CommandSpec? { commands.first { $0.name == name } }
    static func alias(_ name: String) -> Alias? { aliases.first { $0.name == name } }

    /// "balance (b), rewrite (rw, rwz), ..." for error messages.
    static let knownNames: String = commands.map { spec in
        let short = aliases.filter { $0.command == spec.name }.map(\.name)
        return short.isEmpty ? spec.name : "\(spec.name) (\(short.joined(separator: ", ")))"
    }.joined(separator: ", ")
}
