import ArgumentParser
import Store

/// `--db PATH`, shared by every command that uses the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "SQLite database (default: $QOR_DB, else $XDG_DATA_HOME/qor/qor.sqlite, else ~/.local/share/qor/qor.sqlite).")
    var path: String?

    var location: DatabaseLocation { DatabaseLocation(path: path) }

    /// Opens the database for writing (its directory must exist when the user named it).
    func open() throws -> Store { try location.open() }

    /// For commands that only read: an existing database, left untouched (works on a read-only file).
    func openReadOnly() throws -> Store { try location.openReadOnly() }
}
