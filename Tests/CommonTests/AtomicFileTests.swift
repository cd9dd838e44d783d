import Common
import Foundation
import Testing

private func scratch() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("qor-atomic-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

private func contents(_ path: String) -> String? {
    FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
}

private func entries(_ dir: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
}

@Test func writesANewFileAndLeavesNoTemporary() throws {
    let dir = try scratch()
    try AtomicFile.write("one", to: dir + "/a.txt")
    #expect(contents(dir + "/a.txt") == "one")
    #expect(try entries(dir) == ["a.txt"])
}

@Test func replacesAnExistingFileKeepingItsPermissions() throws {
    let dir = try scratch()
    let path = dir + "/a.txt"
    try AtomicFile.write("old", to: path)
    #expect(chmod(path, 0o640) == 0)
    try AtomicFile.write("new", to: path)
    #expect(contents(path) == "new")
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o640)
    #expect(try entries(dir) == ["a.txt"])
}

@Test func rewritingAFileFromItsOwnContentKeepsIt() throws {
    // `qor convert x.aig x.aig`: the input is read whole, then replaced by the same bytes.
    let dir = try scratch()
    let path = dir + "/x.aig"
    try AtomicFile.write("design", to: path)
    let read = try #require(FileManager.default.contents(atPath: path))
    try AtomicFile.write([UInt8](read), to: path)
    #expect(contents(path) == "design")
}

@Test func refusesADirectoryAndLeavesItsTreeAlone() throws {
    let dir = try scratch()
    let target = dir + "/out"
    try FileManager.default.createDirectory(atPath: target + "/inner", withIntermediateDirectories: true)
    try AtomicFile.write("keep", to: target + "/inner/file")
    let error = #expect(throws: FileWriteError.self) { try AtomicFile.write("x", to: target) }
    #expect(error?.path == target)
    #expect(error?.reason.contains("directory") == true)
    #expect(contents(target + "/inner/file") == "keep")
    #expect(try entries(dir) == ["out"])
}

@Test func writesThroughASymbolicLinkAndKeepsTheLink() throws {
    let dir = try scratch()
    try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
    try AtomicFile.write("old", to: dir + "/real/target.txt")
    try FileManager.default.createSymbolicLink(atPath: dir + "/link.txt", withDestinationPath: "real/target.txt")
    try AtomicFile.write("new", to: dir + "/link.txt")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.txt") == "real/target.txt")
    #expect(contents(dir + "/real/target.txt") == "new")
    #expect(try entries(dir + "/real") == ["target.txt"])
}

@Test func aDanglingLinkIsWrittenAtItsDestination() throws {
    let dir = try scratch()
    try FileManager.default.createSymbolicLink(atPath: dir + "/link.txt", withDestinationPath: dir + "/made.txt")
    try AtomicFile.write("made", to: dir + "/link.txt")
    #expect(contents(dir + "/made.txt") == "made")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.txt") == dir + "/made.txt")
}

@Test func aDeviceIsWrittenNotReplaced() throws {
    try AtomicFile.write("discarded", to: "/dev/null")
    var st = stat()
    #expect(stat("/dev/null", &st) == 0)
    #expect(st.st_mode & S_IFMT == S_IFCHR)
}

@Test func aFullDeviceIsAnError() throws {
    let error = #expect(throws: FileWriteError.self) { try AtomicFile.write("x", to: "/dev/full") }
    #expect(error?.path == "/dev/full")
}

@Test func aMissingDirectoryIsAnErrorAndCreatesNothing() throws {
    let dir = try scratch()
    let error = #expect(throws: FileWriteError.self) { try AtomicFile.write("x", to: dir + "/no/such/file") }
    #expect(error?.reason.contains("no such directory") == true)
    #expect(try entries(dir).isEmpty)
}

@Test func severalFilesAreStagedBeforeAnyIsReplaced() throws {
    let dir = try scratch()
    try AtomicFile.write("a0", to: dir + "/a")
    try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
    #expect(throws: FileWriteError.self) { try AtomicFile.write([(dir + "/a", Array("a1".utf8)), (dir + "/b", Array("b1".utf8))]) }
    #expect(contents(dir + "/a") == "a0")
    #expect(try entries(dir) == ["a", "b"])
    try AtomicFile.write([(dir + "/a", Array("a2".utf8)), (dir + "/c", Array("c2".utf8))])
    #expect(contents(dir + "/a") == "a2")
    #expect(contents(dir + "/c") == "c2")
}

@Test func temporariesOfKilledWritersAreRemoved() throws {
    let dir = try scratch()
    // A pid that is not running: a finished child's.
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/true")
    try child.run()
    child.waitUntilExit()
    let dead = child.processIdentifier
    try "partial".write(toFile: dir + "/.a.txt.tmp-\(dead)-1", atomically: false, encoding: .utf8)
    try "mine".write(toFile: dir + "/.a.txt.tmp-\(getpid())-1", atomically: false, encoding: .utf8)
    try AtomicFile.write("done", to: dir + "/a.txt")
    #expect(try entries(dir) == [".a.txt.tmp-\(getpid())-1", "a.txt"])
}
