/// An RFC 4180 reader over bytes: fields separated by `,`, records by LF or CRLF, fields optionally
/// in double quotes (which may hold commas, line breaks and `""` for a quote). Blank lines are
/// skipped; a UTF-8 byte order mark at the start is ignored.
public struct CSVScanner {
    /// One record: the line it starts on, and its fields or what is malformed about it.
    public struct Record: Sendable {
        public var line: Int
        public var fields: [String]
        public var error: String?
        public init(line: Int, fields: [String], error: String? = nil) {
            self.line = line
            self.fields = fields
            self.error = error
        }
    }

    private let bytes: [UInt8]
    private var position = 0
    private var line = 1

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// The next record, or nil at the end of the input.
    public mutating func next() -> Record? {
        var record = Record(line: 0, fields: [])
        return next(into: &record) ? record : nil
    }

    /// Reads the next record into `record`, reusing its storage; false at the end of the input.
    public mutating func next(into record: inout Record) -> Bool {
        skipBlankLines()
        guard position < bytes.count else { return false }
        record.line = line
        record.fields.removeAll(keepingCapacity: true)
        record.error = nil
        while true {
            if position < bytes.count, bytes[position] == Self.quote {
                guard let field = quotedField() else {
                    record.error = "a quoted field is never closed (expected a closing '\"')"
                    return true
                }
                record.fields.append(field)
                if position < bytes.count, bytes[position] == Self.comma {
                    position += 1
                    continue
                }
                if endOfRecord() { return true }
                record.error = "expected ',' or the end of the line after a closing '\"'"
                skipRestOfLine()
                return true
            }
            let start = position
            while position < bytes.count, bytes[position] != Self.comma, bytes[position] != Self.lf { position += 1 }
            var end = position
            let atLineEnd = position == bytes.count || bytes[position] == Self.lf
            if atLineEnd, end > start, bytes[end - 1] == Self.cr { end -= 1 }
            record.fields.append(String(decoding: bytes[start..<end], as: UTF8.self))
            if position < bytes.count, bytes[position] == Self.comma {
                position += 1
                continue
            }
            if position < bytes.count {
                position += 1
                line += 1
            }
            return true
        }
    }

    /// Reads `"..."` from the opening quote; nil when the input ends first.
    private mutating func quotedField() -> String? {
        position += 1
        var out: [UInt8] = []
        while position < bytes.count {
            let b = bytes[position]
            if b == Self.quote {
                if position + 1 < bytes.count, bytes[position + 1] == Self.quote {
                    out.append(Self.quote)
                    position += 2
                    continue
                }
                position += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == Self.lf { line += 1 }
            out.append(b)
            position += 1
        }
        return nil
    }

    /// Consumes CRLF or LF (or the end of input) and says whether the record ended there.
    private mutating func endOfRecord() -> Bool {
        if position == bytes.count { return true }
        if bytes[position] == Self.lf {
            position += 1
            line += 1
            return true
        }
        if bytes[position] == Self.cr, position + 1 == bytes.count || bytes[position + 1] == Self.lf {
            position = min(position + 2, bytes.count)
            line += 1
            return true
        }
        return false
    }

    private mutating func skipRestOfLine() {
        while position < bytes.count, bytes[position] != Self.lf { position += 1 }
        if position < bytes.count {
            position += 1
            line += 1
        }
    }

    private mutating func skipBlankLines() {
        while position < bytes.count {
            if bytes[position] == Self.lf {
                position += 1
                line += 1
            } else if bytes[position] == Self.cr, position + 1 < bytes.count, bytes[position + 1] == Self.lf {
                position += 2
                line += 1
            } else {
                return
            }
        }
    }
}
