import Glibc

/// Why a file could not be written; `path` is the file the user named.
public struct FileWriteError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Writes that never leave a half-written file and never destroy what they replace.
///
/// A regular file (or a new one) is replaced by POSIX `rename(2)` of a complete, synced temporary
/// file in the same directory, keeping the old file's permissions. A symbolic link is written
/// through: its final target is replaced and the link stays. A directory is refused. A device or
/// FIFO (`/dev/stdout`) is written to directly, since renaming onto it would replace the node.
/// Foundation's replace-item call is not used: on Linux it deletes the target when it fails.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws(FileWriteError) {
        try write(Array(text.utf8), to: path)
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(FileWriteError) {
        let staged = try stage(bytes, for: path)
        try staged.commit()
    }

    /// Writes several files: every one is staged before any is renamed into place, so a failure
    /// while writing (a full disk, a directory in the way) leaves all of them untouched.
    public static func write(_ files: [(path: String, bytes: [UInt8])]) throws(FileWriteError) {
        var staged: [Staged] = []
        do {
            for f in files { staged.append(try stage(f.bytes, for: f.path)) }
        } catch {
            for s in staged { s.discard() }
            throw error
        }
        for (i, s) in staged.enumerated() {
            do { try s.commit() } catch {
                for rest in staged[(i + 1)...] { rest.discard() }
                throw error
            }
        }
    }

    /// A file written to a temporary name beside its target, waiting to be renamed into place.
    public struct Staged: Sendable {
        /// The path the user named.
        public let path: String
        /// Where the bytes land (the link target when `path` is a symbolic link).
        let target: String
        /// The temporary file, or nil when the target is a device written directly.
        let temporary: String?

        public func commit() throws(FileWriteError) {
            guard let temporary else { return }
            guard rename(temporary, target) == 0 else {
                let reason = lastError()
                unlink(temporary)
                throw FileWriteError(path: path, reason: "cannot rename the temporary file into place: \(reason)")
            }
        }

        public func discard() {
            if let temporary { unlink(temporary) }
        }
    }

    /// Writes `bytes` to a temporary file beside the target (or straight into a device).
    public static func stage(_ bytes: [UInt8], for path: String) throws(FileWriteError) -> Staged {
        let target = try resolve(path)
        var st = stat()
        let exists = stat(target, &st) == 0
        if exists {
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                throw FileWriteError(path: path, reason: "is a directory; expected a file name")
            case S_IFREG:
                break
            default:
                try writeAll(bytes, to: target, flags: O_WRONLY, mode: 0, path: path)
                return Staged(path: path, target: target, temporary: nil)
            }
        }
        let (dir, name) = split(target)
        var dirStat = stat()
        guard stat(dir, &dirStat) == 0, dirStat.st_mode & S_IFMT == S_IFDIR else {
            throw FileWriteError(path: path, reason: "no such directory: \(dir)")
        }
        removeStaleTemporaries(in: dir, name: name)
        let temporary = dir + "/" + temporaryPrefix(name) + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try writeAll(bytes, to: temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o666, path: path)
        if exists, chmod(temporary, st.st_mode & 0o7777) != 0 {
            let reason = lastError()
            unlink(temporary)
            throw FileWriteError(path: path, reason: "cannot keep the file's permissions: \(reason)")
        }
        return Staged(path: path, target: target, temporary: temporary)
    }

    /// The temporary names used for `name`: `.NAME.tmp-PID-RANDOM`.
    static func temporaryPrefix(_ name: String) -> String { "." + name + ".tmp-" }

    /// Removes temporaries for `name` left by processes that no longer run (killed mid-write).
    static func removeStaleTemporaries(in dir: String, name: String) {
        guard let handle = opendir(dir) else { return }
        defer { closedir(handle) }
        let prefix = temporaryPrefix(name)
        var stale: [String] = []
        while let entry = readdir(handle) {
            let entryName = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            guard entryName.hasPrefix(prefix) else { continue }
            let rest = entryName.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]) else { continue }
            if pid != getpid(), kill(pid, 0) != 0, errno == ESRCH { stale.append(dir + "/" + entryName) }
        }
        for s in stale { unlink(s) }
    }

    /// Follows symbolic links to the path that will really be written (a dangling link's
    /// destination included), so that the link itself is never replaced.
    static func resolve(_ path: String) throws(FileWriteError) -> String {
        guard !path.isEmpty else { throw FileWriteError(path: path, reason: "empty file name") }
        var current = path
        for _ in 0..<40 {
            var st = stat()
            guard lstat(current, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { throw FileWriteError(path: path, reason: "cannot read the symbolic link: \(lastError())") }
            let destination = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/") ? destination : split(current).dir + "/" + destination
        }
        throw FileWriteError(path: path, reason: "too many levels of symbolic links")
    }

    static func split(_ path: String) -> (dir: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }

    private static func writeAll(_ bytes: [UInt8], to file: String, flags: Int32, mode: mode_t, path: String) throws(FileWriteError) {
        let fd = open(file, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileWriteError(path: path, reason: "cannot open for writing: \(lastError())") }
        let temporary = flags & O_CREAT != 0
        func fail(_ what: String) -> FileWriteError {
            let reason = lastError()
            close(fd)
            if temporary { unlink(file) }
            return FileWriteError(path: path, reason: "\(what): \(reason)")
        }
        var offset = 0
        let failed: Bool = bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return true }
                offset += n
            }
            return false
        }
        if failed { throw fail("cannot write") }
        if temporary, fsync(fd) != 0 { throw fail("cannot flush to disk") }
        guard close(fd) == 0 else {
            let reason = lastError()
            if temporary { unlink(file) }
            throw FileWriteError(path: path, reason: "cannot close: \(reason)")
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
