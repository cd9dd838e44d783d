import Netlist

/// A design as stored: its statistics and where it came from.
public struct DesignRow: Sendable, Equatable {
    public var id: Int64
    public var hash: String
    public var name: String
    public var format: String
    public var source: String
    public var inputs: Int, outputs: Int, latches: Int, ands: Int, levels: Int
}

/// A design on its way into the store.
public struct NewDesign: Sendable {
    public var name: String
    public var format: String
    public var source: String
    public var aig: Aig
    public init(name: String, format: String, source: String, aig: Aig) {
        self.name = name
        self.format = format
        self.source = source
        self.aig = aig
    }
}

/// A flow on its way into the store, in canonical text form.
public struct NewFlow: Sendable, Hashable {
    public var text: String
    public var hash: String
    public var length: Int
    public init(text: String, hash: String, length: Int) {
        self.text = text
        self.hash = hash
        self.length = length
    }
}

/// Outcome of one ABC run for a (design, flow, library) key.
public enum LabelStatus: String, Sendable { case ok, failed, timeout }

/// One label on its way into the store.
public struct NewLabel: Sendable {
    public var designID: Int64
    public var flowID: Int64
    public var libraryID: Int64
    public var status: LabelStatus
    public var delay: Double?
    public var area: Double?
    public var ands: Int?
    public var levels: Int?
    public var seconds: Double?
    public var abcVersion: String?
    public var error: String?

    public init(
        designID: Int64, flowID: Int64, libraryID: Int64, status: LabelStatus, delay: Double? = nil,
        area: Double? = nil, ands: Int? = nil, levels: Int? = nil, seconds: Double? = nil,
        abcVersion: String? = nil, error: String? = nil
    ) {
        self.designID = designID
        self.flowID = flowID
        self.libraryID = libraryID
        self.status = status
        self.delay = delay
        self.area = area
        self.ands = ands
        self.levels = levels
        self.seconds = seconds
        self.abcVersion = abcVersion
        self.error = error
    }
}
