import Foundation
import Testing
@testable import Store

// Issue 11 item 16: the claim rules that let concurrent labellers share keys.

private func key(_ store: Store) throws -> LabelKey {
    let designs = try store.designs()
    let flow = try store.upsertFlows([NewFlow(text: "balance", hash: "h", length: 1)])[0]
    let library = try store.upsertLibrary(hash: "lib", name: "lib", kind: "genlib")
    return LabelKey(design: designs[0].id, flow: flow, library: library)
}

@Test func aClaimedKeyIsBusyForOthersUntilReleasedWithItsLabel() throws {
    let store = try storeWithDesigns(try temporaryDirectory(), ["adder_8"])
    let k = try key(store)
    let since = try store.now()
    let a = ClaimOwner.current(), b = ClaimOwner.current()
    #expect(try store.claim(k, owner: a, seconds: 60, since: since) == .claimed)
    #expect(try store.claim(k, owner: a, seconds: 60, since: since) == .claimed)  // renewing one's own
    #expect(try store.claim(k, owner: b, seconds: 60, since: since) == .busy)
    try store.record(
        NewLabel(designID: k.design, flowID: k.flow, libraryID: k.library, status: .failed, error: "x"), releasing: a)
    #expect(try store.claims().isEmpty)
    // A failed run recorded during this batch counts as done; in a later batch it is run again.
    #expect(try store.claim(k, owner: b, seconds: 60, since: since) == .labelled)
    Thread.sleep(forTimeInterval: 0.01)
    #expect(try store.claim(k, owner: b, seconds: 60, since: try store.now()) == .claimed)
    try store.record(
        NewLabel(designID: k.design, flowID: k.flow, libraryID: k.library, status: .ok, delay: 1, area: 2), releasing: b)
    #expect(try store.claim(k, owner: a, seconds: 60, since: try store.now()) == .labelled)
}

@Test func expiredClaimsAndClaimsOfGoneProcessesAreTakenOver() throws {
    let store = try storeWithDesigns(try temporaryDirectory(), ["adder_8"])
    let k = try key(store)
    let since = try store.now()
    let me = ClaimOwner.current()
    // Another host's labeller whose claim has expired.
    let remote = ClaimOwner(id: "elsewhere 1 token")
    #expect(try store.claim(k, owner: remote, seconds: -1, since: since) == .claimed)
    #expect(try store.claim(k, owner: me, seconds: 60, since: since) == .claimed)
    try store.releaseClaims(of: me)
    // A live claim of another host is respected.
    #expect(try store.claim(k, owner: remote, seconds: 60, since: since) == .claimed)
    #expect(try store.claim(k, owner: me, seconds: 60, since: since) == .busy)
    try store.releaseClaims(of: remote)
    // A process of this host that has exited: its claim is taken over before it expires.
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/true")
    try child.run()
    child.waitUntilExit()
    let gone = ClaimOwner(id: "\(ClaimOwner.hostName()) \(child.processIdentifier) token")
    #expect(try store.claim(k, owner: gone, seconds: 600, since: since) == .claimed)
    #expect(try store.claim(k, owner: me, seconds: 60, since: since) == .claimed)
    #expect(try store.claims().map(\.owner) == [me.id])
}
