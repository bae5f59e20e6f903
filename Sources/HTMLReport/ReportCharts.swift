import EvalStatistics
import Foundation

/// Inline SVG for the report (no script, no external reference). Every label passes through
/// `HTMLText.escape`; numbers are formatted here.
enum ReportCharts {
    static func percent(_ v: Double?) -> String {
        guard let v else { return "n/a" }
        return String(format: "%.1f%%", v * 100)
    }

    static func signedPoints(_ v: Double?) -> String {
        guard let v else { return "n/a" }
        return String(format: "%+.1f pp", v * 100)
    }

    private static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    /// A 0–100% axis with the Wilson interval as a bar and the rate as a dot; empty when n = 0.
    static func intervalBar(_ p: Proportion, width: Double = 160, colour: String = "#4e79a7") -> String {
        let h = 16.0
        var svg = "<svg class=\"ci\" width=\"\(f(width))\" height=\"\(f(h))\" viewBox=\"0 0 \(f(width)) \(f(h))\" role=\"img\">"
        svg += "<line x1=\"0\" y1=\"8\" x2=\"\(f(width))\" y2=\"8\" stroke=\"#ddd\"/>"
        for t in [0.0, 0.5, 1.0] { svg += "<line x1=\"\(f(t * width))\" y1=\"4\" x2=\"\(f(t * width))\" y2=\"12\" stroke=\"#bbb\"/>" }
        if let rate = p.rate, let lo = p.lo, let hi = p.hi {
            svg += "<title>\(percent(rate)) (95% CI \(percent(lo))–\(percent(hi)); \(p.k)/\(p.n))</title>"
            svg += "<rect x=\"\(f(lo * width))\" y=\"5\" width=\"\(f(max(1, (hi - lo) * width)))\" height=\"6\" fill=\"\(colour)\" opacity=\"0.35\"/>"
            svg += "<circle cx=\"\(f(rate * width))\" cy=\"8\" r=\"3.5\" fill=\"\(colour)\"/>"
        }
        return svg + "</svg>"
    }

    /// A gap and its interval on a symmetric axis around 0 (±`scale`).
    static func gapBar(estimate: Double?, lo: Double?, hi: Double?, scale: Double, width: Double = 240) -> String {
        let h = 18.0
        func x(_ v: Double) -> Double { (v / scale + 1) / 2 * width }
        var svg = "<svg class=\"ci\" width=\"\(f(width))\" height=\"\(f(h))\" viewBox=\"0 0 \(f(width)) \(f(h))\" role=\"img\">"
        svg += "<line x1=\"0\" y1=\"9\" x2=\"\(f(width))\" y2=\"9\" stroke=\"#ddd\"/><line x1=\"\(f(width / 2))\" y1=\"2\" x2=\"\(f(width / 2))\" y2=\"16\" stroke=\"#888\"/>"
        if let estimate, let lo, let hi {
            svg += "<title>\(signedPoints(estimate)) (95% CI \(signedPoints(lo)) to \(signedPoints(hi)))</title>"
            svg += "<rect x=\"\(f(x(lo)))\" y=\"5\" width=\"\(f(max(1, x(hi) - x(lo))))\" height=\"8\" fill=\"#e15759\" opacity=\"0.35\"/>"
            svg += "<circle cx=\"\(f(x(estimate)))\" cy=\"9\" r=\"4\" fill=\"#e15759\"/>"
        }
        return svg + "</svg>"
    }

    /// The paper-style outcome colours and names, in stacking order.
    static let outcomeStyle: [(outcome: ReportAccumulator.Outcome, name: String, fill: String)] = [
        (.refuses, "refuses", "#4e79a7"),
        (.compliesWithAF, "complies, with alignment-faking reasoning", "url(#af-hatch)"),
        (.compliesWithoutAF, "complies, no alignment-faking reasoning", "#f2c14e"),
        (.partial, "partial compliance", "#b07aa1"),
        (.unclear, "unclear / no output", "#d4d4d4"),
    ]

    /// The hatch pattern of "complies with AF reasoning" (red with yellow stripes, as in the paper).
    static let patterns = """
    <svg class="defs" width="0" height="0" aria-hidden="true"><defs>\
    <pattern id="af-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">\
    <rect width="6" height="6" fill="#f2c14e"/><rect width="3" height="6" fill="#e15759"/></pattern></defs></svg>
    """

    /// One 100% stacked bar of outcome counts.
    static func stackedBar(_ counts: [ReportAccumulator.Outcome: Int], width: Double = 520) -> String {
        let total = counts.values.reduce(0, +)
        let h = 22.0
        var svg = "<svg class=\"stack\" width=\"\(f(width))\" height=\"\(f(h))\" viewBox=\"0 0 \(f(width)) \(f(h))\" role=\"img\">"
        guard total > 0 else { return svg + "</svg>" }
        var x = 0.0
        for style in outcomeStyle {
            let k = counts[style.outcome] ?? 0
            guard k > 0 else { continue }
            let w = Double(k) / Double(total) * width
            svg += "<rect x=\"\(f(x))\" y=\"0\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"\(style.fill)\"><title>\(HTMLText.escape(style.name)): \(k) of \(total) (\(percent(Double(k) / Double(total))))</title></rect>"
            if w > 38 {
                svg += "<text x=\"\(f(x + w / 2))\" y=\"15\" text-anchor=\"middle\" class=\"seglabel\">\(percent(Double(k) / Double(total)))</text>"
            }
            x += w
        }
        return svg + "</svg>"
    }

    /// A histogram of shares (bins over [0, 1]).
    static func histogram(_ bins: [Int], colour: String, width: Double = 300, height: Double = 110) -> String {
        let total = max(1, bins.reduce(0, +))
        let top = Double(bins.max() ?? 0) / Double(total)
        let plotH = height - 18
        let bw = width / Double(bins.count)
        var svg = "<svg class=\"hist\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\">"
        for (i, k) in bins.enumerated() {
            let share = Double(k) / Double(total)
            let bh = top > 0 ? share / top * plotH : 0
            let lo = Double(i) / Double(bins.count), hi = Double(i + 1) / Double(bins.count)
            svg += "<rect x=\"\(f(Double(i) * bw + 1))\" y=\"\(f(plotH - bh))\" width=\"\(f(bw - 2))\" height=\"\(f(bh))\" fill=\"\(colour)\"><title>score \(String(format: "%.2f", lo))–\(String(format: "%.2f", hi)): \(k) rows (\(percent(share)))</title></rect>"
        }
        svg += "<line x1=\"0\" y1=\"\(f(plotH))\" x2=\"\(f(width))\" y2=\"\(f(plotH))\" stroke=\"#888\"/>"
        for t in [0.0, 0.5, 1.0] {
            let anchor = t == 0 ? "start" : t == 1 ? "end" : "middle"
            svg += "<text x=\"\(f(t * width))\" y=\"\(f(height - 3))\" text-anchor=\"\(anchor)\" class=\"axis\">\(String(format: "%.1f", t))</text>"
        }
        return svg + "</svg>"
    }
}
