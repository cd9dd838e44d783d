/// A field as error messages show it: whole when short, else its first 80 characters and "…"
/// with the full length, so that a 5 MB field in a bad row does not become a 5 MB message.
func excerpt(_ text: some StringProtocol) -> String {
    text.count <= 80 ? String(text) : "\(text.prefix(80))… (\(text.utf8.count) bytes)"
}
