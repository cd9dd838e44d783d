/// Checks shared by the text readers: valid UTF-8, and line numbers of byte offsets.
enum TextInput {
    /// Throws at the first byte that is not valid UTF-8, naming its line and byte offset.
    static func validateUTF8(_ bytes: [UInt8], file: String) throws(NetlistError) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            let minimum: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: (length, minimum, scalar) = (2, 0x80, UInt32(b & 0x1F))
            case 0xE0...0xEF: (length, minimum, scalar) = (3, 0x800, UInt32(b & 0x0F))
            case 0xF0...0xF4: (length, minimum, scalar) = (4, 0x10000, UInt32(b & 0x07))
            default: throw invalid(bytes, at: i, file: file)
            }
            guard i + length <= n else { throw invalid(bytes, at: i, file: file) }
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { throw invalid(bytes, at: i, file: file) }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) {
                throw invalid(bytes, at: i, file: file)
            }
            i += length
        }
    }

    /// 1-based line number of the byte at `offset`.
    static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        var line = 1
        for b in bytes[..<min(offset, bytes.count)] where b == 0x0A { line += 1 }
        return line
    }

    private static func invalid(_ bytes: [UInt8], at offset: Int, file: String) -> NetlistError {
        let hex = String(bytes[offset], radix: 16, uppercase: true)
        return NetlistError(
            file: file, at: .line(line(of: offset, in: bytes)),
            "invalid UTF-8 byte 0x\(hex) at byte offset \(offset): expected UTF-8 text")
    }

    /// Splits into lines (without `\n` or a trailing `\r`); element `k` is line `k + 1`.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        let n = bytes.count
        while i < n {
            if bytes[i] == 0x0A {
                result.append(trimCR(bytes[start..<i]))
                start = i + 1
            }
            i += 1
        }
        if start < n { result.append(trimCR(bytes[start...])) }
        return result
    }

    private static func trimCR(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        s.last == 0x0D ? s.dropLast() : s
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B }

    static func string(_ s: ArraySlice<UInt8>) -> String { String(decoding: s, as: UTF8.self) }
}
