import CBLAS

/// OpenBLAS's kernel set, for benchmark reports: Debian's OpenBLAS chooses it when it loads, by CPU
/// model or by OPENBLAS_CORETYPE, and the matrix products' speed depends on it.
public enum BLASCore {
    /// "Haswell", "SkylakeX", ...
    public static var name: String {
        guard let core = openblas_get_corename() else { return "unknown" }
        return String(cString: core)
    }
}
