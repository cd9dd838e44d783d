import Common
import Flows
import Foundation
import QoRModel

/// `qor predict`'s answer: the model's predictions of `flows` on a design (anchored beforehand when
/// the model did not see it), with their intervals when the model has them, ready to print.
public struct PredictionListing {
    public var model: LoadedModel
    public var design: DesignInput
    public var flows: [Flow]
    public var predictions: [QoRPrediction]
    /// The design's interval band (nil: the model has no intervals, or it saw the design).
    public var band: LogBand?
    /// Why the design is outside the training designs (empty: inside).
    public var outliers: [String]

    public init(model: LoadedModel, design: DesignInput, flows: [Flow]) throws {
        self.model = model
        self.design = design
        self.flows = flows
        outliers = model.outliers(design)
        predictions = try model.predictor.predict(design.sample, flows: flows)
        band = model.predictor.band(design.sample)
    }

    /// The intervals' coverage and widths, said once before the rows, or why there are none though
    /// the model has intervals (nil: no intervals).
    public var intervalNotice: String? {
        guard let band, let coverage = model.predictor.config.intervals?.coverage else { return model.predictor.bandMismatch(design.sample) }
        return String(format: "%.0f%% intervals (split-conformal on designs the model never saw): delay x/÷ %.3f, area x/÷ %.3f",
                      100 * coverage, exp(band.delay), exp(band.area))
    }

    /// One JSON object per flow; or, for one flow, the values with the design and model; or a table.
    public func lines(json: Bool) -> [String] {
        let units = model.predictor.config.units
        var out: [String] = []
        for (f, p) in zip(flows, predictions) {
            let i = band?.interval(p)
            if json {
                var row = "{\"design\":\(JSONText.quoted(design.path)),\"flow\":\(JSONText.quoted(f.canonical)),\"delay\":\(p.delay),\"area\":\(p.area)"
                if let i {
                    row += ",\"delay_lo\":\(i.delay.lowerBound),\"delay_hi\":\(i.delay.upperBound),\"area_lo\":\(i.area.lowerBound),\"area_hi\":\(i.area.upperBound)"
                }
                out.append(row + ",\"model\":\(JSONText.quoted(model.name)),\"ood\":\(!outliers.isEmpty)}")
            } else if flows.count == 1 {
                if let i {
                    out.append(String(format: "delay %.2f %@ [%.2f, %.2f], area %.2f %@ [%.2f, %.2f]", p.delay, units.delay, i.delay.lowerBound,
                                      i.delay.upperBound, p.area, units.area, i.area.lowerBound, i.area.upperBound))
                } else {
                    out.append(String(format: "delay %.2f %@, area %.2f %@", p.delay, units.delay, p.area, units.area))
                }
                out.append("design \(design.path), flow \(f.canonical)")
                out.append("model \(model.name) (\(model.predictor.config.architecture.kind.rawValue), \(model.path))")
            } else {
                out.append(String(format: "%12.2f %14.2f  %@", p.delay, p.area, f.canonical))
            }
        }
        if !json && flows.count > 1 { out.append("delay in \(units.delay), area in \(units.area); model \(model.name) (\(model.path))") }
        return out
    }
}
