import AfscanCore
import LabelSinks
import Scratchpad

/// A re-extracted record cut into highlighted segments: each block (scratchpad, reasoning, draft, output)
/// of the record, in the record's order, as runs of text marked by the row's evidence spans and by the
/// spans of the model terms that drove a label's score. Renderers (`afscan show`'s text, markdown and JSON,
/// the report's HTML) only escape and decorate these segments.
public struct HighlightedSample: Sendable {
    /// What a segment is. Where spans overlap, the mark earliest in this order wins.
    public enum Mark: String, Sendable, Hashable, CaseIterable {
        /// Inside a rule evidence span with polarity `+`.
        case evidence
        /// Inside a rule evidence span with polarity `-` (counter-evidence).
        case counterEvidence = "counter_evidence"
        /// Inside a span of a model term with a positive contribution.
        case modelUp = "model_up"
        /// Inside a span of a model term with a negative contribution.
        case modelDown = "model_down"
        /// Not text of the record: stands for the bytes between two ranges of a block (a draft inside a
        /// scratchpad, shown as a block of its own) or for the cut end of a truncated block.
        case elision
    }

    /// A run of text with one mark (nil = plain text).
    public struct Segment: Sendable, Hashable {
        public var text: String
        public var mark: Mark?
        /// Half-open byte range into the field's decoded UTF-8 (empty for `.elision`).
        public var range: Range<Int>
    }

    public struct Block: Sendable {
        /// `scratchpad#1`, `reasoning#1`, `draft#1`, `output`.
        public var name: String
        public var kind: SampleBlock.Kind
        /// The field the block's text lives in (`output`, `messages[3].content[0].thinking`).
        public var field: String
        public var segments: [Segment]
        /// True when the block was cut at `maxBlockBytes`.
        public var truncated: Bool
    }

    public var blocks: [Block]
    /// Evidence entries whose span does not hold their snippet in the re-extracted text (the input changed
    /// since labelling, or it was labelled with other --layout/--text-field options).
    public var mismatchedEvidence: [SampleRow.EvidenceEntry]

    /// - Parameters:
    ///   - modelLabel: the label whose model terms are highlighted (its `explanation` entry).
    ///   - maxBlockBytes: keep at most this many bytes of each block (cut on a UTF-8 scalar boundary; the
    ///     block's `truncated` is then true and it ends with an `.elision` segment); nil keeps everything.
    public init(row: SampleRow, record: ExtractedRecord, modelLabel: String = "af.goal_guarding", maxBlockBytes: Int? = nil) {
        struct Marked { var range: Range<Int>; var mark: Mark }
        var spansByField: [String: [Marked]] = [:]
        for e in row.evidence {
            spansByField[e.span.field, default: []].append(Marked(range: e.span.start..<e.span.end, mark: e.polarity == "-" ? .counterEvidence : .evidence))
        }
        for term in row.explanations[modelLabel]?.terms ?? [] where term.contribution != 0 {
            for s in term.spans {
                spansByField[s.field, default: []].append(Marked(range: s.start..<s.end, mark: term.contribution > 0 ? .modelUp : .modelDown))
            }
        }
        let priority = Dictionary(uniqueKeysWithValues: Mark.allCases.enumerated().map { ($1, $0) })

        var mismatched: [SampleRow.EvidenceEntry] = []
        for e in row.evidence {
            guard let field = record.fields.first(where: { $0.name == e.span.field }), e.span.end <= field.bytes.count else {
                mismatched.append(e)
                continue
            }
            let snippet = field.bytes.withUnsafeBufferPointer { Snippet.make($0, range: e.span.start..<e.span.end) }
            if snippet != e.snippet { mismatched.append(e) }
        }
        mismatchedEvidence = mismatched

        blocks = record.blocks.map { block in
            let field = record.fields[block.field]
            let bytes = field.bytes
            let spans = spansByField[field.name] ?? []
            var segments: [Segment] = []
            var budget = maxBlockBytes ?? Int.max
            var truncated = false
            for (i, whole) in block.ranges.enumerated() where !whole.isEmpty {
                var range = whole
                if i > 0 && !segments.isEmpty { segments.append(Segment(text: "…", mark: .elision, range: range.lowerBound..<range.lowerBound)) }
                if range.count > budget {
                    range = range.lowerBound..<Self.scalarStart(bytes, range.lowerBound + budget)
                    truncated = true
                }
                budget -= range.count
                // Boundaries: the range's ends and every span end inside it, snapped to scalar starts.
                var cuts = Set([range.lowerBound, range.upperBound])
                for s in spans where s.range.overlaps(range) {
                    cuts.insert(Self.scalarStart(bytes, max(s.range.lowerBound, range.lowerBound)))
                    cuts.insert(Self.scalarStart(bytes, min(s.range.upperBound, range.upperBound)))
                }
                let points = cuts.sorted()
                for (a, b) in zip(points, points.dropFirst()) where a < b {
                    let mark = spans.filter { $0.range.lowerBound <= a && b <= $0.range.upperBound && !$0.range.isEmpty }
                        .map(\.mark).min { priority[$0]! < priority[$1]! }
                    let text = String(decoding: bytes[a..<b], as: UTF8.self)
                    if let last = segments.last, last.mark == mark, last.range.upperBound == a {
                        segments[segments.count - 1].text += text
                        segments[segments.count - 1].range = last.range.lowerBound..<b
                    } else {
                        segments.append(Segment(text: text, mark: mark, range: a..<b))
                    }
                }
                if truncated { break }
            }
            if truncated, let end = segments.last?.range.upperBound { segments.append(Segment(text: "…", mark: .elision, range: end..<end)) }
            return Block(name: block.name, kind: block.kind, field: field.name, segments: segments, truncated: truncated)
        }
    }

    /// `offset` moved back to the first byte of the UTF-8 scalar it falls in (clamped to the text).
    static func scalarStart(_ bytes: [UInt8], _ offset: Int) -> Int {
        var o = min(max(offset, 0), bytes.count)
        while o > 0 && o < bytes.count && bytes[o] & 0xC0 == 0x80 { o -= 1 }
        return o
    }
}
