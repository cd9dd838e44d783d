import Foundation
import Testing

@Test func missingFileExits66() throws {
    let r = try qor("stats", "/nonexistent/x.aig")
    #expect(r.status == 66)
    #expect(r.stderr.contains("/nonexistent/x.aig"))
}
