/// RFC 4180 output: a field is quoted when it holds a comma, a quote or a line break.
public enum CSVText {
    public static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return s }
        var out = "\""
        for c in s {
            out.append(c)
            if c == "\"" { out.append("\"") }
        }
        return out + "\""
    }
}
