import Common
import Foundation

/// A failure to read or write a checkpoint, naming the file and, for bad data, the byte offset.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable { case badData, missingFile, io, mismatch }
    public let kind: Kind
    public let path: String
    public let message: String

    public var description: String { "\(path): \(message)" }
}

/// The safetensors format: 8-byte little-endian header length N, N bytes of JSON header
/// `{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...}` with an optional
/// `"__metadata__": {string: string}`, then the raw little-endian data (offsets relative to it).
///
/// Byte layout written here (deterministic): `__metadata__` first with keys in byte order, then
/// tensors in byte order of their names; each entry's keys in the order dtype, shape,
/// data_offsets; no whitespace; data in the same order, packed; the header padded with spaces to
/// a multiple of 8 bytes (as the reference implementation does).
public enum Safetensors {
    /// One stored tensor: dtype, shape and its raw little-endian bytes.
    public struct Entry: Sendable, Equatable {
        public var dtype: DType
        public var shape: [Int]
        public var bytes: [UInt8]

        public init(dtype: DType, shape: [Int], bytes: [UInt8]) {
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }

        public init<S: TensorScalar>(_ t: Tensor<S>) {
            var b: [UInt8] = []
            S.appendLittleEndian(t.data, to: &b)
            self.init(dtype: S.dtype, shape: t.shape.dims, bytes: b)
        }

        /// The values, when the dtype is `S`'s.
        public func tensor<S: TensorScalar>(_: S.Type = S.self) -> Tensor<S>? {
            guard dtype == S.dtype else { return nil }
            let count = shape.reduce(1, *)
            return Tensor(shape: Shape(shape), data: S.fromLittleEndian(bytes[...], count: count))
        }
    }

    public static func encode(_ tensors: [String: Entry], metadata: [String: String] = [:]) -> [UInt8] {
        var json = "{"
        var fields: [String] = []
        if !metadata.isEmpty {
            let items = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                .map { "\(JSONText.quoted($0)):\(JSONText.quoted(metadata[$0] ?? ""))" }
            fields.append("\"__metadata__\":{" + items.joined(separator: ",") + "}")
        }
        var offset = 0
        let names = tensors.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for name in names {
            guard let e = tensors[name] else { continue }
            let shape = e.shape.map(String.init).joined(separator: ",")
            fields.append("\(JSONText.quoted(name)):{\"dtype\":\"\(e.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + e.bytes.count)]}")
            offset += e.bytes.count
        }
        json += fields.joined(separator: ",") + "}"
        var header = Array(json.utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out += header
        for name in names { out += tensors[name]?.bytes ?? [] }
        return out
    }

    public static func decode(_ bytes: [UInt8], path: String) throws(CheckpointError) -> (tensors: [String: Entry], metadata: [String: String]) {
        func bad(_ offset: Int, _ what: String) -> CheckpointError {
            CheckpointError(kind: .badData, path: path, message: "byte \(offset): \(what)")
        }
        guard bytes.count >= 8 else { throw bad(0, "file of \(bytes.count) bytes is shorter than the 8-byte header length") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(bytes.count - 8) else { throw bad(0, "header length \(n) exceeds the \(bytes.count - 8) bytes that follow") }
        let headerEnd = 8 + Int(n)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])), let header = object as? [String: Any] else {
            throw bad(8, "header is not a JSON object")
        }
        let dataLength = bytes.count - headerEnd
        var metadata: [String: String] = [:]
        var tensors: [String: Entry] = [:]
        var spans: [(Int, Int, String)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw bad(8, "__metadata__ is not an object") }
                for (k, v) in m {
                    guard let s = v as? String else { throw bad(8, "__metadata__ value of \(k) is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any] else { throw bad(8, "entry \(name) is not an object") }
            guard let dtypeName = info["dtype"] as? String, let dtype = DType(rawValue: dtypeName) else {
                throw bad(8, "entry \(name): dtype \(String(describing: info["dtype"])) is not one of F32 F64 I8 I32 I64")
            }
            guard let shapeAny = info["shape"] as? [Any], let shape = ints(shapeAny), shape.allSatisfy({ $0 >= 0 }) else {
                throw bad(8, "entry \(name): shape is not a list of non-negative integers")
            }
            guard let offAny = info["data_offsets"] as? [Any], let off = ints(offAny), off.count == 2 else {
                throw bad(8, "entry \(name): data_offsets is not [begin, end]")
            }
            let expected = shape.reduce(1, *) * dtype.size
            guard off[0] >= 0, off[0] <= off[1], off[1] <= dataLength else {
                throw bad(headerEnd, "entry \(name): data_offsets \(off) outside the \(dataLength) data bytes")
            }
            guard off[1] - off[0] == expected else {
                throw bad(headerEnd + off[0], "entry \(name): \(off[1] - off[0]) bytes for shape \(shape) of \(dtype.rawValue) (expected \(expected))")
            }
            spans.append((off[0], off[1], name))
            tensors[name] = Entry(dtype: dtype, shape: shape, bytes: Array(bytes[(headerEnd + off[0])..<(headerEnd + off[1])]))
        }
        var cursor = 0
        for (b, e, name) in spans.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            guard b == cursor else { throw bad(headerEnd + b, "entry \(name) starts at data byte \(b), expected \(cursor) (holes or overlaps)") }
            cursor = e
        }
        guard cursor == dataLength else { throw bad(headerEnd + cursor, "\(dataLength - cursor) data bytes belong to no tensor") }
        return (tensors, metadata)
    }

    private static func ints(_ a: [Any]) -> [Int]? {
        var out: [Int] = []
        for v in a {
            guard let n = v as? NSNumber, Double(n.intValue) == n.doubleValue else { return nil }
            out.append(n.intValue)
        }
        return out
    }
}
