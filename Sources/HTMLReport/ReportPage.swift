import AfscanCore
import EvalStatistics
import Foundation
import LabelSinks
import SampleView

/// The self-contained HTML report of `afscan report`: rates per group × condition with Wilson intervals,
/// the compliance gap with its Newcombe interval (both straight from `Summary`, as `afscan summary`
/// computes them), paper-style outcome bars per condition, the AF score histogram per condition, the most
/// frequent evidence, and a browser over a stratified sample of rows with their texts highlighted.
///
/// The page loads nothing (inline CSS, SVG and script; a Content-Security-Policy of `default-src 'none'`
/// with the hashes of its own script and style) and holds no link. Transcript-derived text is HTML-escaped
/// or carried in a JSON data block that the script only ever inserts as text.
public struct ReportPage {
    public var summary: Summary
    public var accumulator: ReportAccumulator
    /// The browser's samples with their re-extracted texts (`SampleLocator.show`), in input order.
    public var samples: [(kept: ReportAccumulator.Kept, shown: ShownSample)]
    /// The byte cap per block used for `samples`.
    public var maxBlockBytes: Int
    /// Rows that were not label rows (skipped).
    public var skippedLines: Int
    /// Groups (condition × group values) shown in the tables and bars; the rest are counted in a note.
    public static let maxGroupsShown = 60

    public init(summary: Summary, accumulator: ReportAccumulator, samples: [(kept: ReportAccumulator.Kept, shown: ShownSample)],
                maxBlockBytes: Int, skippedLines: Int = 0) {
        self.summary = summary
        self.accumulator = accumulator
        self.samples = samples
        self.maxBlockBytes = maxBlockBytes
        self.skippedLines = skippedLines
    }

    private let esc = HTMLText.escape

    func groupName(_ values: [String?]) -> String {
        summary.groupBy.isEmpty ? "all rows" : values.map { $0 ?? "(missing)" }.joined(separator: " · ")
    }

    /// The whole page.
    /// - Throws: only if the sample data cannot be serialized as JSON (it always can: strings and numbers).
    public func html() throws -> String {
        let data = try HTMLText.scriptJSON(samplesObject())
        let csp = "default-src 'none'; img-src data:; style-src \(HTMLText.cspHash(ReportAssets.style)); script-src \(HTMLText.cspHash(ReportAssets.errorTrap)) \(HTMLText.cspHash(ReportAssets.browser)); base-uri 'none'; form-action 'none'"
        var h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        h += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(csp)\">"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>afscan report</title>"
        h += "<style>\(ReportAssets.style)</style><script>\(ReportAssets.errorTrap)</script></head><body>\n"
        h += ReportCharts.patterns
        h += header()
        h += "<main><ol id=\"page-errors\"></ol>\n"
        h += ratesSection() + gapSection() + outcomeSection() + histogramSection() + evidenceSection() + browserSection()
        h += "</main>\n<script type=\"application/json\" id=\"samples-data\">\(data)</script>\n"
        h += "<script type=\"application/json\" id=\"summary-data\">\(try HTMLText.scriptJSON(summary.jsonObject()))</script>\n"
        h += "<script>\(ReportAssets.browser)</script>\n</body></html>\n"
        return h
    }

    private func header() -> String {
        let t = summary.totals
        var h = "<header><h1>afscan report</h1>"
        h += "<p>\(t.records) rows from \(esc(summary.run.inputs.joined(separator: ", "))): \(t.labelled) labelled, \(t.rejected) rejected"
        if skippedLines > 0 { h += "; \(skippedLines) lines were not label rows and were skipped" }
        h += "</p><p>afscan \(esc(summary.run.afscanVersion))"
        if let r = summary.run.rulesHash { h += " · rules \(esc(String(r.prefix(12))))…" }
        if !summary.groupBy.isEmpty { h += " · grouped by \(esc(summary.groupBy.joined(separator: ", ")))" }
        h += " · the rates and intervals are those of <code>afscan summary</code> on the same rows (its JSON is embedded in this page)</p></header>\n"
        return h
    }

    private var shownGroups: [Summary.Group] { Array(summary.groups.prefix(Self.maxGroupsShown)) }

    private func groupsNote() -> String {
        summary.groups.count > Self.maxGroupsShown
            ? "<p class=\"note\">Showing the first \(Self.maxGroupsShown) of \(summary.groups.count) groups (condition × group values, in the summary's order); the embedded summary JSON holds all.</p>"
            : ""
    }

    private func ratesSection() -> String {
        var h = "<section id=\"rates\"><h2>Rates per group and condition</h2>"
        h += "<p class=\"note\">Rate, Wilson 95% interval (bar) and k/n. AF rates are over labelled rows; refusal and compliance over rows whose output is refused, complied or partial (unclear and unknown outputs are left out).</p>"
        h += "<table><tr><th>condition</th><th>group</th><th>labelled</th>"
        let columns: [(String, KeyPath<Summary.Rates, Proportion>, String)] = [
            ("alignment faking (yes)", \.afGoalGuarding, "#e15759"), ("AF yes or maybe", \.afGoalGuardingYesOrMaybe, "#f28e2b"),
            ("refusal", \.refusal, "#4e79a7"), ("compliance", \.complianceStrict, "#59a14f"), ("partial", \.partialCompliance, "#b07aa1"),
        ]
        for c in columns { h += "<th>\(c.0)</th>" }
        h += "</tr>"
        for g in shownGroups {
            h += "<tr><td>\(g.condition.rawValue)</td><td class=\"grp\">\(esc(groupName(g.groupValues)))</td><td class=\"num\">\(g.labelled)</td>"
            for c in columns {
                let p = g.rates[keyPath: c.1]
                h += "<td><div class=\"cell\"><span>\(ReportCharts.percent(p.rate)) <span class=\"muted\">\(p.k)/\(p.n)</span></span>\(ReportCharts.intervalBar(p, width: 90, colour: c.2))</div></td>"
            }
            h += "</tr>"
        }
        return h + "</table>" + groupsNote() + "</section>\n"
    }

    private func gapSection() -> String {
        var h = "<section id=\"gap\"><h2>Compliance gap</h2>"
        h += "<p class=\"note\">Non-compliance when unmonitored minus non-compliance in training, with its Newcombe 95% interval; strict: non-compliance = refused or partial; broad: refused only. The axis spans ±100 percentage points.</p>"
        guard !summary.gaps.isEmpty else {
            return h + "<p>No group holds rows of both conditions (training and unmonitored), so there is no compliance gap to show.</p></section>\n"
        }
        h += "<table><tr><th>group</th><th>variant</th><th>training</th><th>unmonitored</th><th>gap</th><th>95% CI</th><th></th></tr>"
        for gap in summary.gaps.prefix(Self.maxGroupsShown) {
            for (name, e) in [("strict", gap.strict), ("broad", gap.broad)] {
                let d = e.difference
                h += "<tr><td>\(esc(groupName(gap.groupValues)))</td><td>\(name)</td>"
                h += "<td class=\"num\">\(ReportCharts.percent(e.training.rate)) (\(e.training.k)/\(e.training.n))</td><td class=\"num\">\(ReportCharts.percent(e.unmonitored.rate)) (\(e.unmonitored.k)/\(e.unmonitored.n))</td>"
                h += "<td class=\"num\"><b>\(ReportCharts.signedPoints(d.estimate))</b></td><td class=\"num\">\(ReportCharts.signedPoints(d.lo)) to \(ReportCharts.signedPoints(d.hi))</td>"
                h += "<td>\(ReportCharts.gapBar(estimate: d.estimate, lo: d.lo, hi: d.hi, scale: 1))</td></tr>"
            }
        }
        return h + "</table></section>\n"
    }

    private func outcomeSection() -> String {
        var h = "<section id=\"outcomes\"><h2>Outcomes per condition</h2>"
        h += "<p class=\"note\">As in the paper's figures: the share of labelled rows whose output refuses, complies with alignment-faking reasoning (af.goal_guarding = yes), complies without it, complies partially, or is unclear.</p><div class=\"legend\">"
        for s in ReportCharts.outcomeStyle {
            h += "<span><svg width=\"14\" height=\"12\"><rect width=\"14\" height=\"12\" fill=\"\(s.fill)\"/></svg> \(esc(s.name))</span>"
        }
        h += "</div><table>"
        let strata = accumulator.outcomes.keys.sorted { a, b in
            let ia = summary.groups.firstIndex { $0.condition == a.condition && $0.groupValues == a.groupValues } ?? Int.max
            let ib = summary.groups.firstIndex { $0.condition == b.condition && $0.groupValues == b.groupValues } ?? Int.max
            return ia < ib
        }
        for s in strata.prefix(Self.maxGroupsShown) {
            let counts = accumulator.outcomes[s]!
            h += "<tr><td>\(s.condition.rawValue)</td><td>\(esc(groupName(s.groupValues)))</td><td class=\"num\">\(counts.values.reduce(0, +))</td><td>\(ReportCharts.stackedBar(counts))</td></tr>"
        }
        return h + "</table></section>\n"
    }

    private func histogramSection() -> String {
        var h = "<section id=\"scores\"><h2>AF score distribution per condition</h2>"
        h += "<p class=\"note\">af.goal_guarding score of labelled rows, \(ReportAccumulator.histogramBins) bins over [0, 1]; bar height = share of the condition's rows.</p><div class=\"hists\">"
        let colours: [Condition: String] = [.training: "#e15759", .unmonitored: "#4e79a7", .unknown: "#9e9e9e"]
        for c in [Condition.training, .unmonitored, .unknown] {
            guard let bins = accumulator.histograms[c] else { continue }
            h += "<figure>\(ReportCharts.histogram(bins, colour: colours[c]!))<figcaption>\(c.rawValue): \(bins.reduce(0, +)) rows with a score</figcaption></figure>"
        }
        if accumulator.histograms.isEmpty { h += "<p>No row has an af.goal_guarding score.</p>" }
        return h + "</div></section>\n"
    }

    private func evidenceSection() -> String {
        var h = "<section id=\"evidence\"><h2>Most frequent evidence</h2>"
        h += "<p class=\"note\">Rules by the number of labelled rows holding at least one of their evidence spans, with their most frequent snippets (case-folded; the first \(ReportAccumulator.evidenceSnippetCap) distinct snippets of each rule are counted).</p>"
        let top = accumulator.evidence.sorted { a, b in
            a.value.rows != b.value.rows ? a.value.rows > b.value.rows : (a.key.label, a.key.rule, a.key.polarity) < (b.key.label, b.key.rule, b.key.polarity)
        }.prefix(25)
        guard !top.isEmpty else { return h + "<p>No evidence in these rows.</p></section>\n" }
        h += "<table><tr><th>label</th><th>rule</th><th>±</th><th>rows</th><th>share</th><th>frequent snippets</th></tr>"
        for (key, count) in top {
            let snippets = count.snippets.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3)
                .map { "<span class=\"m-\(key.polarity == "-" ? "counter_evidence" : "evidence")\">\(esc($0.key))</span> ×\($0.value)" }.joined(separator: " · ")
            let share = accumulator.labelled > 0 ? Double(count.rows) / Double(accumulator.labelled) : nil
            h += "<tr><td>\(esc(key.label))</td><td>\(esc(key.rule))</td><td>\(key.polarity == "-" ? "−" : "+")</td><td class=\"num\">\(count.rows)</td><td class=\"num\">\(ReportCharts.percent(share))</td><td>\(snippets)</td></tr>"
        }
        return h + "</table></section>\n"
    }

    private func browserSection() -> String {
        let snippetsOnly = samples.filter { $0.shown.text == nil && $0.shown.row.status == "ok" }.count
        var h = "<section id=\"browser\"><h2>Samples</h2><p class=\"note\">"
        h += "This page holds \(samples.count) of \(accumulator.rows) rows: a stratified random sample, at most \(accumulator.perStratum) per stratum (condition × AF decision × group) and \(accumulator.sampleCap) in all, taken round-robin over the \(accumulator.strataCount) strata\(accumulator.strataCount > ReportAccumulator.maxStrata ? " (past \(ReportAccumulator.maxStrata), further groups share one stratum per condition × AF decision)" : ""). "
        h += "Texts are re-read from the inputs as <code>afscan show</code> does; each block is cut at \(maxBlockBytes) bytes. "
        h += snippetsOnly > 0 ? "\(snippetsOnly) samples show their evidence snippets only: their input was not reachable (each says why; <code>--root DIR</code> when the inputs moved)." : "Every labelled sample's text was reachable."
        h += "</p><div class=\"legend\"><span><span class=\"m-evidence\">evidence</span></span><span><span class=\"m-counter_evidence\">counter-evidence</span></span><span><span class=\"m-model_up\">model term raising the AF score</span></span><span><span class=\"m-model_down\">model term lowering it</span></span></div>"
        h += "<div class=\"filters\"><label>label <select id=\"f-label\"></select></label><label>band <select id=\"f-band\"></select></label>"
        h += "<label>condition <select id=\"f-condition\"></select></label><label>group <select id=\"f-group\"></select></label><span id=\"sample-count\" class=\"muted\"></span></div>"
        h += "<div id=\"samples\"></div><button id=\"more\" type=\"button\" hidden>show more</button></section>\n"
        return h
    }

    /// The browser's data: `{"af_label", "grouped", "max_block_bytes", "marks": [MARK…], "samples": [{"n", "id",
    /// "file", "record", "condition", "group", "status", "reason", "note", "labels": {NAME: [decision, score,
    /// value]}, "evidence": [[label, rule, polarity, block, snippet]], "terms": [[ngram, contribution]], "logit",
    /// "blocks": [{"name", "field", "truncated", "segs": [[text, mark index or -1]]}] (absent: snippets only)}]}`.
    func samplesObject() -> [String: Any] {
        let marks = HighlightedSample.Mark.allCases
        let markIndex = Dictionary(uniqueKeysWithValues: marks.enumerated().map { ($1, $0) })
        let list: [[String: Any]] = samples.map { kept, shown in
            let row = shown.row
            var s: [String: Any] = [
                "n": kept.ordinal, "id": row.id ?? NSNull(), "file": row.source?.file ?? "?", "record": row.source?.record ?? 0,
                "condition": row.condition.rawValue, "group": groupName(kept.groupValues), "status": row.status,
                "reason": row.reason ?? "",
                "labels": Dictionary(uniqueKeysWithValues: row.labels.map { ($0.name, [$0.decision, $0.score ?? NSNull(), $0.value ?? NSNull()] as [Any]) }),
                "evidence": row.evidence.map { [$0.label, $0.rule, $0.polarity, $0.span.block, $0.snippet] },
            ]
            let ex = row.explanations[SummaryAccumulator.afLabel]
            s["terms"] = (ex?.terms ?? []).map { [$0.ngram, $0.contribution] as [Any] }
            s["logit"] = ex.map { String(format: "%.4f", $0.logit) } ?? ""
            if let note = shown.note { s["note"] = note }
            if let text = shown.text {
                s["blocks"] = text.blocks.map { b -> [String: Any] in
                    ["name": b.name, "field": b.field, "truncated": b.truncated,
                     "segs": b.segments.map { [$0.text, $0.mark.map { markIndex[$0]! } ?? -1] as [Any] }]
                }
            }
            return s
        }
        return ["af_label": SummaryAccumulator.afLabel, "grouped": !summary.groupBy.isEmpty, "max_block_bytes": maxBlockBytes,
                "marks": marks.map(\.rawValue), "samples": list]
    }
}
