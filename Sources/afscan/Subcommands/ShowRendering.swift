import Foundation
import SampleView

enum ShowFormat: String {
    case text, markdown, json
}

/// Renders `ShownSample`s for `afscan show`. Every piece of transcript-derived text (texts, ids, file
/// names, rule names, snippets, n-grams) goes through `terminalSafe` (text), `markdownSafe` (markdown) or
/// JSON escaping with the terminal-unsafe scalars written as `\uXXXX` (json), so none reaches a terminal raw.
struct ShowRenderer {
    var format: ShowFormat
    /// ANSI colours instead of bracket markers (text format only).
    var colour: Bool

    /// The label whose model explanation is printed as "contributions".
    var modelLabel = "af.goal_guarding"

    func render(_ sample: ShownSample, index: Int, of count: Int) -> String {
        switch format {
        case .text: return text(sample, index: index, of: count)
        case .markdown: return markdown(sample, index: index, of: count)
        case .json: return json(sample)
        }
    }

    // MARK: - text

    static let plainMarkers: [HighlightedSample.Mark: (String, String)] = [
        .evidence: ("[[", "]]"), .counterEvidence: ("[-", "-]"), .modelUp: ("{{", "}}"), .modelDown: ("{-", "-}"), .elision: ("", ""),
    ]
    static let ansiMarkers: [HighlightedSample.Mark: (String, String)] = [
        .evidence: ("\u{1B}[30;43m", "\u{1B}[0m"), .counterEvidence: ("\u{1B}[30;46m", "\u{1B}[0m"),
        .modelUp: ("\u{1B}[4;31m", "\u{1B}[0m"), .modelDown: ("\u{1B}[4;34m", "\u{1B}[0m"), .elision: ("\u{1B}[2m", "\u{1B}[0m"),
    ]

    private func text(_ sample: ShownSample, index: Int, of count: Int) -> String {
        let row = sample.row
        var out = "== sample \(index) of \(count): \(header(row, safe: { terminalSafe($0) }))\n"
        if row.status == "rejected" {
            out += "rejected: \(terminalSafe(row.reason ?? "?")): \(terminalSafe(row.detail ?? ""))\n"
        }
        if !row.labels.isEmpty { out += "labels:\n" }
        for l in row.labels {
            let name = terminalSafe(l.name).padding(toLength: max(28, l.name.count), withPad: " ", startingAt: 0)
            var line = "  \(name) \(terminalSafe(l.decision).padding(toLength: 7, withPad: " ", startingAt: 0)) score \(num(l.score))  rank \(num(l.rank))"
            if let v = l.value { line += "  value \(terminalSafe(v))" }
            if let e = l.engine { line += "  \(terminalSafe(e))" }
            out += line + "\n"
        }
        if let ex = row.explanations[modelLabel] {
            let sum = ex.terms.reduce(0) { $0 + $1.contribution }
            out += "\(modelLabel) contributions: logit \(num(ex.logit)) = bias \(num(ex.bias)) + \(ex.terms.count) terms \(signed(sum)) + remainder \(num(ex.remainder))\n"
            for t in ex.terms {
                out += "  \(signed(t.contribution))  \(terminalSafe(t.ngram))  (\(t.spans.count) span\(t.spans.count == 1 ? "" : "s"))\n"
            }
        }
        if !row.evidence.isEmpty { out += "evidence:\n" }
        for e in row.evidence {
            out += "  \(e.polarity) \(terminalSafe(e.label))  \(terminalSafe(e.rule))  \(terminalSafe(e.span.block))  \(terminalSafe(e.span.field))[\(e.span.start)..<\(e.span.end)]  \"\(terminalSafe(e.snippet))\"\n"
        }
        if let note = sample.note { out += "note: \(terminalSafe(note))\n" }
        if sample.text == nil { out += "(text not shown; the evidence snippets above are all there is)\n" }
        let markers = colour ? Self.ansiMarkers : Self.plainMarkers
        for block in sample.text?.blocks ?? [] {
            out += "--- \(terminalSafe(block.name)) (\(terminalSafe(block.field)))\(block.truncated ? " [truncated]" : "") ---\n"
            for seg in block.segments {
                let body = terminalSafe(seg.text, keepNewlines: true)
                if let mark = seg.mark, let (open, close) = markers[mark] { out += open + body + close } else { out += body }
            }
            out += "\n"
        }
        if sample.text != nil {
            out += colour
                ? "key: \(Self.ansiMarkers[.evidence]!.0)evidence\u{1B}[0m \(Self.ansiMarkers[.counterEvidence]!.0)counter-evidence\u{1B}[0m \(Self.ansiMarkers[.modelUp]!.0)raised \(modelLabel)\u{1B}[0m \(Self.ansiMarkers[.modelDown]!.0)lowered \(modelLabel)\u{1B}[0m\n"
                : "key: [[evidence]] [-counter-evidence-] {{raised \(modelLabel)}} {-lowered \(modelLabel)-}\n"
        }
        return out + "\n"
    }

    private func header(_ row: SampleRow, safe: (String) -> String) -> String {
        var parts: [String] = ["id " + (row.id.map(safe) ?? "null")]
        if let s = row.source { parts.append("\(safe(s.file)) record \(s.record) (byte \(s.byteOffset))") }
        parts.append(row.condition.rawValue)
        parts.append(row.status)
        return parts.joined(separator: " · ")
    }

    private func num(_ v: Double?) -> String {
        guard let v else { return "-" }
        return String(format: "%.4f", v)
    }

    private func signed(_ v: Double) -> String { String(format: "%+.4f", v) }

    // MARK: - markdown

    /// `text` safe to paste into Markdown: terminal-unsafe scalars escaped, `&`, `<`, `>` as HTML entities
    /// (no raw HTML reaches a Markdown renderer), Markdown punctuation backslash-escaped.
    static func markdownSafe(_ text: String) -> String {
        var out = ""
        for ch in terminalSafe(text, keepNewlines: true) {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "{", "}", "#", "|", "~", "!", "(", ")": out += "\\" + String(ch)
            default: out.append(ch)
            }
        }
        return out
    }

    private func markdown(_ sample: ShownSample, index: Int, of count: Int) -> String {
        let row = sample.row
        let md = Self.markdownSafe
        var out = "## Sample \(index) of \(count)\n\n\(header(row, safe: md))\n\n"
        if row.status == "rejected" { out += "Rejected: \(md(row.reason ?? "?")): \(md(row.detail ?? ""))\n\n" }
        if !row.labels.isEmpty {
            out += "| label | decision | score | rank | value | engine |\n|---|---|---:|---:|---|---|\n"
            for l in row.labels {
                out += "| \(md(l.name)) | \(md(l.decision)) | \(num(l.score)) | \(num(l.rank)) | \(l.value.map(md) ?? "") | \(l.engine.map(md) ?? "") |\n"
            }
            out += "\n"
        }
        if let ex = row.explanations[modelLabel] {
            out += "**\(md(modelLabel)) contributions**: logit \(num(ex.logit)) = bias \(num(ex.bias)) + terms + remainder \(num(ex.remainder))\n\n"
            out += "| contribution | n-gram | spans |\n|---:|---|---:|\n"
            for t in ex.terms { out += "| \(signed(t.contribution)) | \(md(t.ngram)) | \(t.spans.count) |\n" }
            out += "\n"
        }
        if !row.evidence.isEmpty {
            out += "| ± | label | rule | block | field | bytes | snippet |\n|---|---|---|---|---|---|---|\n"
            for e in row.evidence {
                out += "| \(e.polarity == "-" ? "−" : "+") | \(md(e.label)) | \(md(e.rule)) | \(md(e.span.block)) | \(md(e.span.field)) | \(e.span.start)..<\(e.span.end) | \(md(e.snippet).replacingOccurrences(of: "\n", with: " ")) |\n"
            }
            out += "\n"
        }
        if let note = sample.note { out += "> **Note:** \(md(note))\n\n" }
        for block in sample.text?.blocks ?? [] {
            out += "### \(md(block.name)) (\(md(block.field)))\(block.truncated ? " — truncated" : "")\n\n> "
            var body = ""
            for seg in block.segments {
                let t = md(seg.text)
                switch seg.mark {
                case .evidence?: body += "**\\[\\[" + t + "\\]\\]**"
                case .counterEvidence?: body += "*\\[-" + t + "-\\]*"
                case .modelUp?: body += "\\{\\{" + t + "\\}\\}"
                case .modelDown?: body += "\\{-" + t + "-\\}"
                case .elision?: body += "…"
                case nil: body += t
                }
            }
            out += body.replacingOccurrences(of: "\n", with: "  \n> ") + "\n\n"
        }
        if sample.text != nil { out += "Key: **\\[\\[evidence\\]\\]**, *\\[-counter-evidence-\\]*, \\{\\{raised \(md(modelLabel))\\}\\}, \\{-lowered \(md(modelLabel))-\\}\n\n" }
        return out
    }

    // MARK: - json

    private func json(_ sample: ShownSample) -> String {
        let row = sample.row
        var object: [String: Any] = [
            "id": row.id ?? NSNull(), "status": row.status, "condition": row.condition.rawValue,
            "text_available": sample.text != nil,
            "labels": Dictionary(uniqueKeysWithValues: row.labels.map { l -> (String, Any) in
                var e: [String: Any] = ["decision": l.decision, "score": l.score ?? NSNull(), "rank": l.rank ?? NSNull()]
                if let v = l.value { e["value"] = v }
                if let en = l.engine { e["engine"] = en }
                return (l.name, e)
            }),
            "evidence": row.evidence.map { e -> [String: Any] in
                ["label": e.label, "rule": e.rule, "block": e.span.block, "field": e.span.field, "start": e.span.start, "end": e.span.end,
                 "snippet": e.snippet, "polarity": e.polarity]
            },
        ]
        if let s = row.source { object["source"] = ["file": s.file, "record": s.record, "byte_offset": s.byteOffset] }
        if let note = sample.note { object["note"] = note }
        if let ex = row.explanations[modelLabel] {
            object["contributions"] = ["label": modelLabel, "logit": ex.logit, "bias": ex.bias, "remainder": ex.remainder,
                                       "terms": ex.terms.map { ["ngram": $0.ngram, "contribution": $0.contribution, "spans": $0.spans.count] }]
        }
        if let text = sample.text {
            object["blocks"] = text.blocks.map { b -> [String: Any] in
                ["name": b.name, "kind": b.kind.rawValue, "field": b.field, "truncated": b.truncated,
                 "segments": b.segments.map { s -> [String: Any] in
                     var o: [String: Any] = ["text": s.text, "start": s.range.lowerBound, "end": s.range.upperBound]
                     if let m = s.mark { o["mark"] = m.rawValue }
                     return o
                 }]
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Self.escapingTerminalUnsafe(String(decoding: data, as: UTF8.self)) + "\n"
    }

    /// JSON text with every scalar that `terminalSafe` would escape (DEL, C1, bidi controls, line and
    /// paragraph separators; C0 controls are already escaped by JSON) written as a `\uXXXX` escape, which
    /// JSON reads back as the same string.
    static func escapingTerminalUnsafe(_ json: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            let s = String(scalar)
            if scalar.value >= 0x20 && terminalSafe(s) != s {
                out.append(contentsOf: String(format: "\\u%04X", scalar.value).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
