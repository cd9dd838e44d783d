/// Sizes every reader refuses (exit 65, with the file and line), so that a short malformed file
/// cannot ask for gigabytes before anything is read: an AIGER header may announce at most 2^24
/// inputs (``AigerHeader/inputLimit``) and its other counts are bounded by the bytes that follow;
/// a Verilog vector, replication count, sized constant or expression has at most 2^20 bits, and
/// a Verilog design at most 2^22 signal bits in all; a BENCH LUT has at most 16 inputs.
public enum DesignLimits {
    public static let vectorBits = 1 << 20
    public static let designBits = 1 << 22

    /// The one rule for designs without outputs, shared by every reader: a design must have at
    /// least one output or latch, because there is nothing to synthesise or predict otherwise.
    static let noOutputs = "expected at least one output (or latch): a design without outputs has nothing to synthesise"
}
