import Foundation
import Testing
@testable import Flows

private let flowsDirectory = repositoryRoot + "/flows"

@Test func everyFlowFileParsesAndNamesItsSource() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: flowsDirectory).filter { $0.hasSuffix(".flow") }
    #expect(names.count >= 8)
    for name in names {
        let path = flowsDirectory + "/" + name
        let flow = try Flow.load(contentsOf: path)
        #expect(!flow.steps.isEmpty)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# "), "\(name) starts with a source comment")
        #expect(text.contains("abc.rc"), "\(name) names abc.rc")
    }
}

// The alias definitions as ABC's abc.rc spells them (short names): the oracle for our long files.
@Test(arguments: [
    ("resyn", "b; rw; rwz; b; rwz; b"),
    ("resyn2", "b; rw; rf; b; rw; rwz; b; rfz; rwz; b"),
    ("resyn2a", "b; rw; b; rw; rwz; b; rwz; b"),
    ("resyn3", "b; rs; rs -K 6; b; rsz; rsz -K 6; b; rsz -K 5; b"),
    ("compress", "b -l; rw -l; rwz -l; b -l; rwz -l; b -l"),
    ("compress2", "b -l; rw -l; rf -l; b -l; rw -l; rwz -l; b -l; rfz -l; rwz -l; b -l"),
    (
        "resyn2rs",
        "b; rs -K 6; rw; rs -K 6 -N 2; rf; rs -K 8; b; rs -K 8 -N 2; rw; rs -K 10; rwz; rs -K 10 -N 2; b; rs -K 12; rfz; rs -K 12 -N 2; rwz; b"
    ),
    (
        "compress2rs",
        "b -l; rs -K 6 -l; rw -l; rs -K 6 -N 2 -l; rf -l; rs -K 8 -l; b -l; rs -K 8 -N 2 -l; rw -l; rs -K 10 -l; rwz -l; rs -K 10 -N 2 -l; b -l; rs -K 12 -l; rfz -l; rs -K 12 -N 2 -l; rwz -l; b -l"
    ),
])
func flowFilesMatchAbcRc(name: String, alias: String) throws {
    #expect(try Flow.load(contentsOf: "\(flowsDirectory)/\(name).flow") == Flow.parse(alias))
}

@Test(.enabled(if: sharedRoot != nil, "needs ../shared/flows/openabcd-recipes-1500.txt"))
func allOpenAbcdRecipesParse() throws {
    let path = (sharedRoot ?? "") + "/flows/openabcd-recipes-1500.txt"
    let flows = try Flow.loadList(contentsOf: path)
    #expect(flows.count == 1500)
    #expect(flows.allSatisfy { $0.steps.count == 20 })
    #expect(Set(flows).count == 1500)
    // The recipe file already uses our canonical spelling, line for line.
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(flows.map(\.canonical) == lines)
}
