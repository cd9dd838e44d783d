/// QoR of one design after one flow and technology mapping, as ABC reports it.
public struct SynthesisResult: Sendable, Equatable, Codable {
    /// Critical-path delay: `map`'s delay in library units (ps for the default nangate45 genlib),
    /// `stime`'s delay in ps for a Liberty library, or the LUT depth for LUT mapping.
    public var delay: Double
    /// Area: the sum of cell areas (um^2 for Nangate), or the LUT count for LUT mapping.
    public var area: Double
    /// AND gates of the AIG after the flow, before mapping.
    public var ands: Int
    /// Levels of the AIG after the flow, before mapping.
    public var levels: Int
    /// Wall time of the ABC process, in seconds.
    public var seconds: Double
    /// ABC's version line, for example `UC Berkeley, ABC 1.01 (compiled Feb  7 2023 01:39:45)`.
    public var abcVersion: String

    public init(delay: Double, area: Double, ands: Int, levels: Int, seconds: Double, abcVersion: String) {
        self.delay = delay
        self.area = area
        self.ands = ands
        self.levels = levels
        self.seconds = seconds
        self.abcVersion = abcVersion
    }
}
