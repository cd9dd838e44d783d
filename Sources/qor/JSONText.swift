import Common
import Common

/// `s` as a JSON string literal, quotes included.
func jsonQuoted(_ s: String) -> String { JSONText.quoted(s) }
