import Flows
import Foundation
import Testing
@testable import Store

/// An OpenABC-D reference script: three header lines, a bench dump, the steps, a bench dump, mapping.
private func script(_ steps: [String]) -> String {
    (["read nangate45.lib", "read_bench des_orig.bench", "strash", "write_bench -l des_step0.bench"] + steps
        + ["write_bench -l des_final.bench", "map -B 0.9", "topo", "stime -c", ""]).joined(separator: "\n")
}

@Test func recipesAreTheCommandsBetweenTheBenchDumps() throws {
    let dir = try temporaryDirectory()
    var plan = LabelImportPlan()
    let simple = try write(script(["rewrite", "refactor -z", "# note", "", "balance", "resub -z"]), dir, "abc0.script")
    #expect(try OpenABCDDataset.recipe(simple, into: &plan)?.canonical == "rewrite; refactor -z; balance; resub -z")
    // A bench written after every step (OpenABC-D's generated scripts): the steps between the first and the last.
    let perStep = try write(
        "read x.lib\nread_bench d.bench\nstrash\nwrite_bench -l s0.bench\nrewrite\nwrite_bench -l s1.bench\nbalance\nwrite_bench -l s2.bench\nmap\n",
        dir, "abc1.script")
    #expect(try OpenABCDDataset.recipe(perStep, into: &plan)?.canonical == "rewrite; balance")
    #expect(plan.problems.isEmpty)

    let unknown = try write(script(["rewrite", "strash", "fraig"]), dir, "abc2.script")
    #expect(try OpenABCDDataset.recipe(unknown, into: &plan) == nil)
    let once = try write("read_bench d.bench\nwrite_bench -l a.bench\nrewrite\n", dir, "abc3.script")
    #expect(try OpenABCDDataset.recipe(once, into: &plan) == nil)
    #expect(plan.problems.map(\.line) == [6, 7, 0])
    #expect(plan.problems[0].reason.hasPrefix("column 1: step 1: unknown command 'strash'; expected one of balance (b)"))
    #expect(plan.problems[1].reason.hasPrefix("column 1: step 1: unknown command 'fraig'"))
    #expect(plan.problems[2].reason == "expected the transformations between two write_bench lines, found 1 write_bench")
}

@Test func openabcdLabelsResolveOrigNamesAndCheckEveryRow() throws {
    let dir = try temporaryDirectory()
    let store = try Store(path: dir + "/qor.sqlite")
    // OpenABC-D files are named <design>_orig.bench; the labels call the design <design>.
    try FileManager.default.createDirectory(atPath: dir + "/bench", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: repositoryRoot + "/designs/gen/mult_4.aig", toPath: dir + "/bench/mult_4_orig.aig")
    _ = try store.importDesigns(
        DesignImport.plan(files: [dir + "/bench/mult_4_orig.aig"], existing: [], options: .init()))
    let O = dir + "/O"
    try write(script(["rewrite", "balance"]), O, "scripts/abc0.script")
    try write(script(["refactor", "resub"]), O, "scripts/abc1.script")
    try write(script(["rewrite", "nosuch"]), O, "scripts/abc2.script")
    try write("sid,area,delay\n0,100.5,20\n1,99,21\n2,98,22\n7,1,1\n1,2\nx,1,1\n0,1,slow\n", O, "adp/adp_mult_4.csv")
    try write("sid,area,delay\n0,1,1\n", O, "adp/adp_unknown.csv")
    let p = try OpenABCDDataset.read(directory: O, designs: DesignNames(store.designs()), library: "nangate45")
    let table = O + "/adp/adp_mult_4.csv"
    #expect(p.problems.map(\.description) == [
        O + "/scripts/abc2.script:6: column 1: step 1: unknown command 'nosuch'; expected one of balance (b), rewrite (rw, rwz), refactor (rf, rfz), resub (rs, rsz), dc2, drw, drf, irw",
        table + ":5: flow index 7 is past the end: no abc7.script under \(O) (recipes found: 3, largest sid 2)",
        table + ":6: wrong column count: expected 3 fields (sid,area,delay), found 2",
        table + ":7: sid: expected an integer >= 0, found 'x'",
        table + ":8: delay: expected a number, found 'slow'",
        O + "/adp/adp_unknown.csv: unknown design 'unknown': expected the name of an imported design (1 in the database; import it first with `qor import designs`) (named by the file name)",
    ])
    #expect(p.leftOut == 1)
    _ = try store.importLabels(p.batch)
    #expect(try labelLines(store) == [
        "mult_4_orig,refactor; resub,nangate45,ok,21.0,99.0,,,,",
        "mult_4_orig,rewrite; balance,nangate45,ok,20.0,100.5,,,,",
    ])
}

@Test func openabcdHeaderMustBeSidAreaDelay() throws {
    let dir = try temporaryDirectory()
    let store = try storeWithDesigns(dir, ["mult_4"])
    try write(script(["rewrite"]), dir + "/O", "abc0.script")
    try write("id,area,delay\n0,1,1\n", dir + "/O", "adp_mult_4.csv")
    let p = try OpenABCDDataset.read(directory: dir + "/O", designs: DesignNames(store.designs()), library: "n")
    #expect(p.problems.map(\.description) == [dir + "/O/adp_mult_4.csv:1: expected the header sid,area,delay, found 'id,area,delay'"])
    #expect(p.batch.rows.isEmpty)
}
