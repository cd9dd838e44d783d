import Testing
import Common

private func records(_ text: String) -> [CSVScanner.Record] {
    var scanner = CSVScanner(Array(text.utf8))
    var out: [CSVScanner.Record] = []
    while let r = scanner.next() { out.append(r) }
    return out
}

@Test func quotedFieldsHoldCommasQuotesAndLineBreaks() {
    let r = records("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n")
    #expect(r.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["last", "", ""]])
    // The record after a quoted line break starts on line 4.
    #expect(r.map(\.line) == [1, 2, 4])
    #expect(r.allSatisfy { $0.error == nil })
}

@Test func crlfBlankLinesAndByteOrderMark() {
    let r = records("\u{FEFF}h1,h2\r\n\r\n1,\"2\"\r\n\n3,4")
    #expect(r.map(\.fields) == [["h1", "h2"], ["1", "2"], ["3", "4"]])
    #expect(r.map(\.line) == [1, 3, 5])
}

@Test func malformedQuotesAreRecordErrorsAndTheScanResumes() {
    let r = records("a,\"b\"x,c\nnext,row\n\"never closed\n")
    #expect(r.count == 3)
    #expect(r[0].error == "expected ',' or the end of the line after a closing '\"'")
    #expect(r[1].fields == ["next", "row"] && r[1].line == 2)
    #expect(r[2].error == "a quoted field is never closed (expected a closing '\"')")
    #expect(r[2].line == 3)
}

@Test func quotedFieldsReadBackAsWritten() {
    let fields = ["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r\nlf", ""]
    let line = fields.map(CSVText.quote).joined(separator: ",") + "\r\n"
    #expect(CSVText.quote("plain") == "plain")
    #expect(records(line).map(\.fields) == [fields])
}
