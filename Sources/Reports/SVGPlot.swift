import Foundation

/// Inline SVG plots: predicted-versus-true scatter panels and histograms of percentage errors.
enum SVGPlot {
    static let panelWidth = 340.0
    static let panelHeight = 300.0
    static let margin = (left: 62.0, right: 14.0, top: 28.0, bottom: 46.0)

    /// One `<svg>` with a panel per (title, points): predicted (y) against true (x) on equal axes,
    /// the y = x line dashed, and a baseline's constant prediction as a dotted line when given.
    static func scatter(
        title: String, panels: [(name: String, truth: [Double], predicted: [Double], baseline: (String, Double)?)]
    ) -> String {
        var body = ""
        for (i, p) in panels.enumerated() {
            let axis = PlotAxis(covering: p.truth + p.predicted + (p.baseline.map { [$0.1] } ?? []))
            let frame = Frame(x: Double(i) * panelWidth, axis: axis, yAxis: axis)
            body += frame.axes(xLabel: "true \(p.name)", yLabel: "predicted \(p.name)", title: "\(title): \(p.name)")
            let (x0, y0) = frame.point(axis.low, axis.low)
            let (x1, y1) = frame.point(axis.high, axis.high)
            body += "<line x1=\"\(f(x0))\" y1=\"\(f(y0))\" x2=\"\(f(x1))\" y2=\"\(f(y1))\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n"
            if let (name, value) = p.baseline {
                let (bx0, by) = frame.point(axis.low, value)
                let (bx1, _) = frame.point(axis.high, value)
                body += "<line x1=\"\(f(bx0))\" y1=\"\(f(by))\" x2=\"\(f(bx1))\" y2=\"\(f(by))\" stroke=\"#d62728\" stroke-dasharray=\"1 3\"><title>\(escape(name))</title></line>\n"
            }
            for (t, q) in zip(p.truth, p.predicted) {
                let (cx, cy) = frame.point(t, q)
                body += "<circle cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"2.5\" fill=\"#1f77b4\" fill-opacity=\"0.6\"/>\n"
            }
        }
        return svg(title: title, width: panelWidth * Double(panels.count), body: body)
    }

    /// One `<svg>` with a histogram panel per (name, signed percentage errors).
    static func histograms(title: String, panels: [(name: String, errors: [Double])]) -> String {
        var body = ""
        for (i, p) in panels.enumerated() {
            let xAxis = PlotAxis(covering: p.errors, padding: 0, count: 8)
            let bins = max(1, min(30, Int((Double(p.errors.count)).squareRoot().rounded(.up))))
            let width = (xAxis.high - xAxis.low) / Double(bins)
            var counts = [Int](repeating: 0, count: bins)
            for e in p.errors { counts[min(bins - 1, max(0, Int((e - xAxis.low) / width)))] += 1 }
            let yAxis = PlotAxis(covering: [0, 1.05 * Double(counts.max() ?? 1)], padding: 0, count: 4, minimumStep: 1)
            let frame = Frame(x: Double(i) * panelWidth, axis: xAxis, yAxis: yAxis)
            body += frame.axes(xLabel: "\(p.name) error % (predicted − true)", yLabel: "flows", title: p.name)
            for (b, c) in counts.enumerated() where c > 0 {
                let (bx0, by) = frame.point(xAxis.low + Double(b) * width, Double(c))
                let (bx1, base) = frame.point(xAxis.low + Double(b + 1) * width, 0)
                body += "<rect x=\"\(f(bx0))\" y=\"\(f(by))\" width=\"\(f(max(0.5, bx1 - bx0 - 1)))\" height=\"\(f(base - by))\" fill=\"#1f77b4\"><title>\(c)</title></rect>\n"
            }
        }
        return svg(title: title, width: panelWidth * Double(panels.count), body: body)
    }

    static func svg(title: String, width: Double, body: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(panelHeight))\" viewBox=\"0 0 \(f(width)) \(f(panelHeight))\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n<title>\(escape(title))</title>\n"
            + body + "</svg>\n"
    }

    /// The plotting area of one panel.
    struct Frame {
        let x: Double
        let axis: PlotAxis
        let yAxis: PlotAxis
        var left: Double { x + margin.left }
        var right: Double { x + panelWidth - margin.right }
        var top: Double { margin.top }
        var bottom: Double { panelHeight - margin.bottom }

        func point(_ vx: Double, _ vy: Double) -> (Double, Double) {
            (axis.position(vx, from: left, to: right), yAxis.position(vy, from: bottom, to: top))
        }

        func axes(xLabel: String, yLabel: String, title: String) -> String {
            var out = "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(right - left))\" height=\"\(f(bottom - top))\" fill=\"none\" stroke=\"#444\"/>\n"
            for t in axis.ticks {
                let px = axis.position(t, from: left, to: right)
                out += "<line x1=\"\(f(px))\" y1=\"\(f(bottom))\" x2=\"\(f(px))\" y2=\"\(f(bottom + 4))\" stroke=\"#444\"/>"
                out += "<text x=\"\(f(px))\" y=\"\(f(bottom + 15))\" text-anchor=\"middle\">\(axis.label(t))</text>\n"
            }
            for t in yAxis.ticks {
                let py = yAxis.position(t, from: bottom, to: top)
                out += "<line x1=\"\(f(left - 4))\" y1=\"\(f(py))\" x2=\"\(f(left))\" y2=\"\(f(py))\" stroke=\"#444\"/>"
                out += "<text x=\"\(f(left - 6))\" y=\"\(f(py + 4))\" text-anchor=\"end\">\(yAxis.label(t))</text>\n"
            }
            out += "<text x=\"\(f((left + right) / 2))\" y=\"\(f(panelHeight - 8))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
            out += "<text transform=\"translate(\(f(x + 14)) \(f((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
            out += "<text x=\"\(f((left + right) / 2))\" y=\"\(f(top - 10))\" text-anchor=\"middle\" font-weight=\"bold\">\(escape(title))</text>\n"
            return out
        }
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
