/// A token as error messages show it: whole when short, else its first 80 characters and "…"
/// with the full length (a flow file may hold one enormous word).
func excerpt(_ text: some StringProtocol) -> String {
    text.count <= 80 ? String(text) : "\(text.prefix(80))… (\(text.utf8.count) bytes)"
}
