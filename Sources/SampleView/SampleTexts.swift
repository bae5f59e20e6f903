import AfscanCore

/// A label row with the text of its record, re-extracted and highlighted, or the reason the text cannot be
/// shown (the row's evidence snippets are then all there is).
public struct ShownSample: Sendable {
    public var row: SampleRow
    /// Nil when the text is not available (see `note`).
    public var text: HighlightedSample?
    /// Why the text is missing, or what is wrong with it (evidence spans that no longer hold their snippets).
    public var note: String?
}

extension SampleLocator {
    /// Re-reads the record behind each row (each input once, in the order of first appearance) and
    /// highlights it. Rows without a source, rows read from standard input, inputs that cannot be found or
    /// read, records that are gone or moved (their byte offset differs from the row's) and records that no
    /// longer extract get a `note` and no text.
    ///
    /// - Parameters: `modelLabel`, `maxBlockBytes`: see `HighlightedSample.init`.
    /// - Returns: one `ShownSample` per row, in the order of `rows`.
    public func show(_ rows: [SampleRow], modelLabel: String = "af.goal_guarding", maxBlockBytes: Int? = nil) -> [ShownSample] {
        var shown = rows.map { ShownSample(row: $0, text: nil, note: nil) }
        var byPath: [String: [Int]] = [:]
        var order: [String] = []
        for (i, row) in rows.enumerated() {
            guard let source = row.source else {
                shown[i].note = "the row has no source, so its text cannot be shown"
                continue
            }
            switch resolve(source.file) {
            case .standardInput:
                shown[i].note = "the row was read from standard input (-), so its text cannot be shown; label files instead"
            case .missing(let tried):
                let hint = root == nil ? "; if the inputs moved, give --root DIR" : ""
                shown[i].note = "input \(source.file) not found (tried \(tried.joined(separator: ", ")))\(hint)"
            case .found(let path):
                if byPath[path] == nil { order.append(path) }
                byPath[path, default: []].append(i)
            }
        }
        for path in order {
            let indices = byPath[path]!
            let wanted = Set(indices.compactMap { rows[$0].source?.record })
            let (records, fault) = fetch(path: path, records: wanted)
            for i in indices {
                let source = rows[i].source!
                switch records[source.record] {
                case nil:
                    shown[i].note = fault.map { "cannot read record \(source.record) of \(path): \($0)" }
                        ?? "\(path) has no record \(source.record): the input changed since labelling"
                case .rejected(let reason, let detail, _)?:
                    shown[i].note = "record \(source.record) of \(path) cannot be extracted now (\(reason): \(detail)); the input changed, or was labelled with other --layout/--text-field options"
                case .extracted(let record, let offset)?:
                    if source.byteOffset >= 0 && offset != source.byteOffset {
                        shown[i].note = "record \(source.record) of \(path) starts at byte \(offset), the row says \(source.byteOffset): the input changed since labelling"
                        continue
                    }
                    let view = HighlightedSample(row: rows[i], record: record, modelLabel: modelLabel, maxBlockBytes: maxBlockBytes)
                    shown[i].text = view
                    if !view.mismatchedEvidence.isEmpty {
                        shown[i].note = "\(view.mismatchedEvidence.count) of \(rows[i].evidence.count) evidence spans do not hold their snippets in \(path): the input changed, or was labelled with other --layout/--text-field options"
                    }
                }
            }
        }
        return shown
    }
}
