/// A cursor over the bytes of an AIGER file. Errors carry the line (ASCII files) or the byte
/// offset (binary files) of the cursor and say what was expected there.
struct AigerScanner {
    let bytes: [UInt8]
    let file: String
    /// Report byte offsets (binary files) instead of line numbers.
    var binary: Bool
    var pos = 0
    var line = 1

    init(bytes: [UInt8], file: String, binary: Bool) {
        self.bytes = bytes
        self.file = file
        self.binary = binary
    }

    var atEnd: Bool { pos >= bytes.count }
    var location: NetlistError.Location { binary ? .byteOffset(pos) : .line(line) }

    func error(_ message: String) -> NetlistError {
        NetlistError(file: file, at: location, message)
    }

    func error(_ message: String, line: Int) -> NetlistError {
        NetlistError(file: file, at: .line(line), message)
    }

    /// What the cursor points at, for messages.
    var found: String {
        guard pos < bytes.count else { return "end of file" }
        return Self.describe(bytes[pos])
    }

    static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x0A: return "end of line"
        case 0x0D: return "carriage return"
        case 0x20: return "a space"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
        }
    }

    /// Consumes `word` if the bytes at the cursor spell it.
    mutating func take(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard bytes.count - pos >= w.count, bytes[pos..<pos + w.count].elementsEqual(w) else { return false }
        pos += w.count
        return true
    }

    /// An unsigned decimal number that fits in `UInt32`.
    mutating func number(_ what: @autoclosure () -> String) throws(NetlistError) -> UInt32 {
        guard pos < bytes.count, bytes[pos] &- 0x30 < 10 else {
            throw error("expected \(what()), found \(found)")
        }
        let start = pos
        var value: UInt64 = 0
        while pos < bytes.count {
            let d = bytes[pos] &- 0x30
            if d >= 10 { break }
            value = value * 10 + UInt64(d)
            if value > UInt64(UInt32.max) {
                pos = start
                throw error("\(what()) is too large: expected a number below 2^32")
            }
            pos += 1
        }
        return UInt32(value)
    }

    /// True if a space (or tab) follows; consumes all of them.
    mutating func skipBlanks() -> Bool {
        let start = pos
        while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x09 { pos += 1 }
        return pos > start
    }

    /// One or more blanks before the next field.
    mutating func blank(before what: @autoclosure () -> String) throws(NetlistError) {
        guard skipBlanks() else { throw error("expected a space before \(what()), found \(found)") }
    }

    /// True at the end of a line (or of the file), after optional trailing blanks.
    mutating func atEndOfLine() -> Bool {
        var p = pos
        while p < bytes.count, bytes[p] == 0x20 || bytes[p] == 0x09 { p += 1 }
        if p >= bytes.count || bytes[p] == 0x0A { return true }
        return bytes[p] == 0x0D && (p + 1 >= bytes.count || bytes[p + 1] == 0x0A)
    }

    /// Consumes optional blanks, an optional carriage return and the newline (or the end of the file).
    mutating func endOfLine(after what: @autoclosure () -> String) throws(NetlistError) {
        _ = skipBlanks()
        if pos < bytes.count, bytes[pos] == 0x0D, pos + 1 >= bytes.count || bytes[pos + 1] == 0x0A { pos += 1 }
        if pos >= bytes.count { return }
        guard bytes[pos] == 0x0A else { throw error("expected end of line after \(what()), found \(found)") }
        pos += 1
        line += 1
    }

    /// The rest of the line as UTF-8 text, without the newline (and a carriage return before it).
    mutating func restOfLine(_ what: @autoclosure () -> String) throws(NetlistError) -> String {
        let start = pos
        while pos < bytes.count, bytes[pos] != 0x0A { pos += 1 }
        var end = pos
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        guard let text = Self.utf8(bytes[start..<end]) else {
            let bad = start + Self.invalidUTF8Offset(bytes[start..<end])
            throw NetlistError(
                file: file, at: binary ? .byteOffset(bad) : .line(line),
                "\(what()) is not valid UTF-8 (\(Self.describe(bytes[bad]))): expected UTF-8 text")
        }
        if pos < bytes.count {
            pos += 1
            line += 1
        }
        return text
    }

    static func utf8(_ slice: ArraySlice<UInt8>) -> String? {
        invalidUTF8Offset(slice) == slice.count ? String(decoding: slice, as: UTF8.self) : nil
    }

    /// Offset (from the slice's start) of the first byte of an invalid UTF-8 sequence, or the count if valid.
    static func invalidUTF8Offset(_ slice: ArraySlice<UInt8>) -> Int {
        var i = slice.startIndex
        let end = slice.endIndex
        while i < end {
            let b = slice[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            let low: UInt8
            let high: UInt8
            switch b {
            case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
            case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
            case 0xED: (length, low, high) = (3, 0x80, 0x9F)
            case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
            case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
            default: return i - slice.startIndex
            }
            guard end - i >= length, (low...high).contains(slice[i + 1]) else { return i - slice.startIndex }
            for k in 2..<max(2, length) where slice[i + k] & 0xC0 != 0x80 { return i - slice.startIndex }
            i += length
        }
        return slice.count
    }
}
