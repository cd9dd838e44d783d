import Testing
@testable import Store

/// A LOSTIN layout: flow_3.csv with three flows, ground truth for adder_8 and mult_4.
private func lostin(_ dir: String, area: String = "10\n0\n12\n", delay: String = "5\n6\n7\n") throws {
    try write("b;rw;rf;\nrwz;resub;resub -z;\nb;b;\n", dir, "flow_3.csv")
    try write(area, dir, "area_ground_truth_adder_8_flow_3.csv")
    try write(delay, dir, "delay_ground_truth_adder_8_flow_3.csv")
    try write("1\n2\n3\n", dir, "sub/flow_2.csv")
    try write("8\n", dir, "sub/area_ground_truth_mult_4_flow_2.csv")
    try write("9\n", dir, "sub/delay_ground_truth_mult_4_flow_2.csv")
}

@Test func lostinLinesBelongToFlowsAndZerosAreFailedRuns() throws {
    let dir = try temporaryDirectory()
    let store = try storeWithDesigns(dir, ["adder_8", "mult_4"])
    try lostin(dir + "/L")
    try write("b; rw\n", dir + "/L", "sub/flow_2.csv")
    let p = try LostinDataset.read(directory: dir + "/L", designs: DesignNames(store.designs()), library: "lib45")
    #expect(p.problems.isEmpty)
    #expect(p.failedRuns == 1)
    let counts = try store.importLabels(p.batch)
    #expect(counts.written == 3 && counts.newLibraries == 1)
    #expect(try labelLines(store) == [
        "adder_8,balance; balance,lib45,ok,7.0,12.0,,,,",
        "adder_8,balance; rewrite; refactor,lib45,ok,5.0,10.0,,,,",
        "mult_4,balance; rewrite,lib45,ok,9.0,8.0,,,,",
    ])
}

@Test func lostinBadRowsNameTheirFileAndLine() throws {
    let dir = try temporaryDirectory()
    let store = try storeWithDesigns(dir, ["adder_8", "mult_4"])
    try lostin(dir + "/L", area: "10\nlots\n12\n13\n", delay: "5\n6\n7\n8\n9\n")
    try write("b; rw\n\nrw; foo;\n", dir + "/L", "sub/flow_2.csv")
    try write("1\n", dir + "/L", "area_ground_truth_nope_flow_3.csv")
    try write("1\n", dir + "/L", "delay_ground_truth_nope_flow_3.csv")
    try write("1\n", dir + "/L", "area_ground_truth_lonely_flow_3.csv")
    let p = try LostinDataset.read(directory: dir + "/L", designs: DesignNames(store.designs()), library: "x")
    let L = dir + "/L/"
    #expect(p.problems.map(\.description) == [
        L + "area_ground_truth_adder_8_flow_3.csv:2: expected a number, found 'lots'",
        L + "area_ground_truth_adder_8_flow_3.csv:4: flow index 4 is past the end of flow_3.csv, which has 3 flows",
        L + "delay_ground_truth_adder_8_flow_3.csv:4: flow index 4 is past the end of flow_3.csv, which has 3 flows",
        L + "delay_ground_truth_adder_8_flow_3.csv:5: no line 5 in area_ground_truth_adder_8_flow_3.csv, which has 4 lines",
        L + "area_ground_truth_lonely_flow_3.csv: no delay_ground_truth_lonely_flow_3.csv beside it: expected area and delay in pairs",
        L + "sub/flow_2.csv:2: expected a flow, found an empty line",
        L + "sub/flow_2.csv:3: column 5: step 2: unknown command 'foo'; expected one of balance (b), rewrite (rw, rwz), refactor (rf, rfz), resub (rs, rsz), dc2, drw, drf, irw",
        L + "area_ground_truth_nope_flow_3.csv: unknown design 'nope': expected the name of an imported design (2 in the database; import it first with `qor import designs`) (named by the file name)",
    ])
    // Good rows: adder_8 lines 1 and 3, mult_4 line 1.
    #expect(p.batch.rows.count == 3)
}

@Test func lostinWithoutGroundTruthIsAnError() throws {
    let dir = try temporaryDirectory()
    try write("b;\n", dir, "flow_1.csv")
    #expect(throws: StoreError.self) { try LostinDataset.read(directory: dir, designs: DesignNames([]), library: "x") }
    #expect(throws: StoreError.self) { try LostinDataset.read(directory: dir + "/none", designs: DesignNames([]), library: "x") }
}

@Test func lostinSubsetTakesTheNamedDesignsAndTheFirstFlows() throws {
    let dir = try temporaryDirectory()
    // Only adder_8 is in the database: the whole dataset is refused, the subset without mult_4 is not.
    let store = try storeWithDesigns(dir, ["adder_8"])
    try lostin(dir + "/L")
    let names = DesignNames(try store.designs())
    let whole = try LostinDataset.read(directory: dir + "/L", designs: names, library: "x")
    #expect(whole.problems.count == 1)
    let p = try LostinDataset.read(directory: dir + "/L", designs: names, library: "x",
                                   subset: DatasetSubset(designs: ["adder_8"], flowsBelow: 2))
    #expect(p.problems.isEmpty)
    // Lines 1 and 2 of adder_8: line 2 is a failed run (0); line 3 lies beyond the first two flows.
    #expect(p.failedRuns == 1)
    _ = try store.importLabels(p.batch)
    #expect(try labelLines(store) == ["adder_8,balance; rewrite; refactor,x,ok,5.0,10.0,,,,"])
    // A design the dataset does not hold is a usage error naming it, not an empty import.
    #expect {
        try LostinDataset.read(directory: dir + "/L", designs: names, library: "x", subset: DatasetSubset(designs: ["adder_9"]))
    } throws: { error in
        guard let e = error as? StoreError else { return false }
        return e.kind == .usage && e.description.contains("adder_9") && e.description.contains("adder_8, mult_4")
    }
}
