import AfscanCore
import LabelSinks
import PatternScoring
import RecordFraming
import Scratchpad
import SimdJSON
import TokenModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Labels one record at a time: parse (simdjson, full validation) → extract (layout, blocks,
/// condition) → normalize → scan (Vectorscan) → score → one `LabelRecord`.
///
/// One per worker thread: it owns a JSON parser and a Vectorscan scratch, which are not thread-safe.
/// The rule database, extractor and scorer are shared read-only.
public final class RecordLabeler {
    public let ruleSet: RuleSet
    private let scanner: RuleScanner
    private let scorer: Scorer
    private let extractor: RecordExtractor
    private let parser: JSONParser
    private let maxRecordBytes: Int
    /// The learned model's scorer (this worker's scratch), when a model runs.
    private let modelScorer: ModelScorer?
    /// Terms listed per model label in a row's explanation.
    private let explainTerms: Int
    /// When the reasoning rules (the criteria) run, with a model.
    private let criteria: CriteriaMode
    /// The token streams of the current record's blocks.
    private let blockTokens = BlockTokens()
    /// Shingles of the system prompts this worker saw last (bounded in count and bytes).
    private var promptEchoes = PromptEchoCache()
    /// Most system prompts remembered per worker (`PromptEchoCache.capacity`).
    static let recentPromptCapacity = PromptEchoCache().capacity

    public init(ruleSet: RuleSet, compiled: CompiledRules, scorer: Scorer, mapping: FieldMapping, maxRecordBytes: Int,
                model: LinearModel? = nil, criteria: CriteriaMode = .all, explainTerms: Int = 8) {
        self.modelScorer = model.map(ModelScorer.init)
        self.criteria = criteria
        self.explainTerms = explainTerms
        self.ruleSet = ruleSet
        self.scanner = RuleScanner(compiled)
        self.scorer = scorer
        self.extractor = RecordExtractor(mapping: mapping)
        self.parser = JSONParser(maxCapacity: maxRecordBytes)
        self.maxRecordBytes = maxRecordBytes
    }

    /// Labels the record `rec` of `batch` read from input `file`. Returns the row and the record's
    /// `--group-by` values (all nil for a record rejected before it parsed as a JSON object).
    public func label(_ rec: FramedRecord, in batch: RecordBatch, file: String) -> (row: LabelRecord, groupValues: [String?]) {
        var laps = NoLaps()
        return label(rec, in: batch, file: file, laps: &laps)
    }

    /// Same as `label(_:in:file:)`, and adds the wall-clock time of each stage of this record to
    /// `times` (for `afscan bench`; costs two `clock_gettime` calls per stage, about 0.1 µs a record).
    public func label(_ rec: FramedRecord, in batch: RecordBatch, file: String,
                      times: inout StageTimes) -> (row: LabelRecord, groupValues: [String?]) {
        times.restart()
        return label(rec, in: batch, file: file, laps: &times)
    }

    private func label<L: StageLaps>(_ rec: FramedRecord, in batch: RecordBatch, file: String,
                                     laps: inout L) -> (row: LabelRecord, groupValues: [String?]) {
        let noGroups = [String?](repeating: nil, count: extractor.mapping.groupBy.count)
        let source = SourceRef(file: file, record: rec.recordNumber, byteOffset: rec.byteOffset)
        if let fault = rec.fault {
            return (LabelRecord(source: source, status: .rejected, reason: fault.reason, detail: fault.detail, rulesHash: ruleSet.hash), noGroups)
        }
        return batch.storage.withUnsafeBytes { raw -> (row: LabelRecord, groupValues: [String?]) in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[rec.range])
            let root: JSONValue
            do {
                root = try parser.parse(bytes, hasPadding: true)
                laps.lap(.parse)
            } catch let error as JSONParseError {
                return (LabelRecord(source: source, status: .rejected, reason: error.reason, detail: error.message, rulesHash: ruleSet.hash), noGroups)
            } catch {
                return (LabelRecord(source: source, status: .rejected, reason: "invalid_json", detail: "\(error)", rulesHash: ruleSet.hash), noGroups)
            }
            let ex: ExtractedRecord
            do {
                ex = try extractor.extract(root)
                laps.lap(.extract)
            } catch let error as ExtractionFailure {
                // The record parsed: its row keeps its id, kept fields and groups (the summary counts the
                // rejection in the record's own group).
                let (kept, groupValues) = extractor.keptFieldsAndGroups(of: root)
                return (LabelRecord(source: source, id: extractor.id(of: root), status: .rejected, reason: error.reason,
                                    detail: error.detail, fields: kept, rulesHash: ruleSet.hash),
                        groupValues.map { $0.flatMap(SummaryRow.groupValue(canonicalizingRawJSON:)) })
            } catch {
                return (LabelRecord(source: source, status: .rejected, reason: "no_text_field", detail: "\(error)", rulesHash: ruleSet.hash), noGroups)
            }
            let row = score(ex, source: source, laps: &laps)
            let groups = ex.groupValues.map { $0.flatMap(SummaryRow.groupValue(canonicalizingRawJSON:)) }
            laps.lap(.score)
            return (row, groups)
        }
    }

    /// The labels the output rules alone decide: kept when the criteria do not run (`out.compliance` then
    /// reads the output alone: a complied-shape output is `partial` by its own hedges, never by the
    /// reasoning's decision).
    public static let outputRuleLabels = Set(ScoringLabels.outputRules)

    /// Labels whose hits a prompt echo can void or mark (`ContextFilter`).
    private static let echoAffected: Set<String> = [
        ScoringLabels.valueConflict, ScoringLabels.preservationMotive, ScoringLabels.justificationLink,
        ScoringLabels.modificationAwareness,
    ]

    private func score<L: StageLaps>(_ ex: ExtractedRecord, source: SourceRef, laps: inout L) -> LabelRecord {
        var scoringBlocks: [ScoringBlock] = []
        var normalized: [NormalizedText] = []
        scoringBlocks.reserveCapacity(ex.blocks.count)
        var outputTagEnd: Int?
        // Prompt echo (LABELS.md §5.1): shingles of the record's own system prompt, computed only
        // for reasoning blocks holding a hit that echo can void.
        var echo: PromptEcho?
        var echoReady = false
        func promptEcho() -> PromptEcho? {
            if echoReady { return echo }
            echoReady = true
            guard let prompt = ex.systemPrompt else { return nil }
            echo = promptEchoes.echo(for: prompt)
            return echo
        }
        // 1. The token stream of every block the model or the token count reads, once: its count is
        //    `reasoning_tokens`, and the model reads it.
        let readsOutput = modelScorer?.model.file.features.blocks.contains(.output) ?? false
        let tokens = blockTokens.tokenize(ex, output: readsOutput)
        laps.lap(.tokenize)
        // 2. The model (when one runs and the reasoning can be read).
        var modelScores: [ModelScore]? = nil
        if let modelScorer, ex.reasoningPresent && !ex.reasoningRedacted {
            modelScores = blockTokens.withModelBlocks(ex) { modelScorer.score($0, explain: explainTerms) }
        }
        laps.lap(.model)
        // 3. The rules: output rules always; reasoning rules (the criteria) as `criteria` says.
        let runCriteria: Bool
        if modelScorer == nil {
            runCriteria = true
        } else {
            switch criteria {
            case .all: runCriteria = true
            case .none: runCriteria = false
            case .candidates: runCriteria = modelScores?.first.map { $0.decision == .yes || $0.decision == .maybe } ?? false
            }
        }
        for (i, b) in ex.blocks.enumerated() {
            let kind: BlockKind
            switch b.kind {
            case .scratchpad: kind = .scratchpad
            case .reasoning: kind = .reasoning
            case .draft: kind = .draft
            case .output: kind = .output
            }
            if !runCriteria && b.kind != .output {
                // not scanned: no hits, and the labels they feed are left out of the row below
                scoringBlocks.append(ScoringBlock(kind: kind, name: b.name, hits: [], normalizedLength: 0, echoRanges: []))
                normalized.append(NormalizedText(bytes: [], originalOffsets: [0], sentenceStarts: [0]))
                continue
            }
            let field = ex.fields[b.field]
            let norm = field.bytes.withUnsafeBufferPointer { Normalizer.normalize($0, ranges: b.ranges) }
            laps.lap(.normalize)
            let hits = norm.bytes.withUnsafeBufferPointer { t in
                norm.sentenceStarts.withUnsafeBufferPointer { s in
                    scanner.scan(block: i, kind: kind, text: t, sentenceStarts: s)
                }
            }
            laps.lap(.scan)
            if b.kind == .output, let end = ex.outputTagEnd {
                outputTagEnd = norm.normalizedOffset(atOrAfterOriginal: end)
            }
            var echoRanges: [Range<Int>] = []
            if kind == .scratchpad || kind == .reasoning,
               hits.contains(where: { Self.echoAffected.contains(ruleSet.rules[$0.rule].label) }),
               let echo = promptEcho() {
                echoRanges = norm.bytes.withUnsafeBufferPointer { echo.echoRanges(in: $0) }
            }
            scoringBlocks.append(ScoringBlock(kind: kind, name: b.name, hits: hits, normalizedLength: norm.bytes.count,
                                              echoRanges: echoRanges))
            normalized.append(norm)
        }
        var input = ScoringInput(
            blocks: scoringBlocks,
            outputTag: OutputTag(rawValue: ex.outputTag.rawValue) ?? .none,
            outputTagEnd: outputTagEnd,
            reasoningPresent: ex.reasoningPresent,
            reasoningRedacted: ex.reasoningRedacted,
            outputPresent: ex.outputPresent,
            condition: ex.condition)
        // With a model, compliance reads the output alone on every record, whether or not the criteria
        // ran on it: the compliance gap must not depend on which records the model flagged.
        input.outputOnlyCompliance = modelScorer != nil
        // Without the criteria only the output-rule labels are computed (`Scorer.scoreOutputRules`).
        var result = modelScorer != nil && !runCriteria ? scorer.scoreOutputRules(input) : scorer.score(input)
        var explanations: [ModelExplanation] = []
        if let modelScorer {
            explanations = applyModel(modelScorer, modelScores, ex, &result.labels)
            result.flags.append(("criteria", .string(runCriteria ? "ran" : "skipped")))
        }

        var evidence: [Evidence] = []
        evidence.reserveCapacity(result.evidence.count)
        for e in result.evidence {
            let b = ex.blocks[e.block]
            let field = ex.fields[b.field]
            let r = normalized[e.block].originalRange(e.start..<e.end)
            let snippet = field.bytes.withUnsafeBufferPointer { Snippet.make($0, range: r) }
            evidence.append(Evidence(label: e.label, rule: ruleSet.rules[e.rule].id, block: b.name, field: field.name,
                                     start: r.lowerBound, end: r.upperBound, snippet: snippet,
                                     polarity: e.polarity == .positive ? "+" : "-"))
        }
        var parse = ex.parse
        parse.append(("reasoning_tokens", .int(tokens)))
        var flags = result.flags
        if ex.conditionConflict { flags.insert(("condition_conflict", .bool(true)), at: 0) }
        if ex.conditionFieldMissing { flags.append(("condition_field_missing", .bool(true))) }
        if let v = ex.conditionValueUnmapped { flags.append(("condition_value_unmapped", .string(v))) }
        var row = LabelRecord(source: source, id: ex.id, status: .ok, condition: ex.condition, fields: ex.kept,
                              labels: result.labels, evidence: evidence, parse: parse, flags: flags, rulesHash: ruleSet.hash)
        if let modelScorer {
            row.modelHash = modelScorer.model.hash
            row.explanations = explanations
        }
        return row
    }

    /// Scores the model's targets over the record's token streams and puts them into `labels`: a model
    /// label takes the name of its target, and a rule label of the same name stays as `NAME_rules`.
    /// Every label says its engine. Without reasoning a model label is `unknown` (never a silent `no`).
    private func applyModel(_ scorer: ModelScorer, _ scores: [ModelScore]?, _ ex: ExtractedRecord, _ labels: inout [(name: String, value: LabelValue)]) -> [ModelExplanation] {
        for i in labels.indices { labels[i].value.engine = "rules" }
        var explanations: [ModelExplanation] = []
        for (t, target) in scorer.model.file.targets.enumerated() {
            var value = LabelValue.unknown
            if let s = scores?[t] {
                // rank: σ(z/4), monotone in the logit and still graded at the row's 4 decimals where the
                // calibrated probability has saturated to 0 or 1 (AUROC needs the order, not the scale).
                value = LabelValue(score: s.probability, rank: 1 / (1 + exp(-s.logit / 4)), decision: s.decision)
                explanations.append(ModelExplanation(
                    label: target.label, logit: s.logit, bias: s.bias, remainder: s.remainder,
                    terms: s.terms.map { term in
                        ModelExplanation.Term(ngram: term.ngram, contribution: term.contribution, spans: term.spans.map {
                            let b = ex.blocks[$0.block]
                            return ModelExplanation.Span(block: b.name, field: ex.fields[b.field].name, start: $0.start, end: $0.end)
                        })
                    }))
            }
            value.engine = "model"
            if let k = labels.firstIndex(where: { $0.name == target.label }) {
                let rules = labels[k].value
                labels[k].value = value
                labels.insert((name: target.label + "_rules", value: rules), at: k + 1)
            } else {
                labels.append((name: target.label, value: value))
            }
        }
        return explanations
    }
}

/// When the reasoning rules (the criteria and the labels they feed) run next to a model (`--criteria`).
public enum CriteriaMode: String, Sendable, CaseIterable {
    /// Never: rows hold the model labels and the output-rule labels only.
    case none
    /// On records whose first model label is in its `yes` or `maybe` band (the explanation layer where it
    /// matters); other rows as `none`.
    case candidates
    /// On every record.
    case all
}

extension RecordLabeler {
    /// The stages of `label`, in pipeline order (the reader's decode and framing and the writer's encode
    /// are timed by their callers).
    public enum Stage: Int, CaseIterable, Sendable {
        /// simdjson parse and validation of the record's bytes.
        case parse
        /// Layout, scratchpad/output blocks, condition, kept and group-by fields (`RecordExtractor`).
        case extract
        /// The token stream of the reasoning blocks (and the output, when the model reads it).
        case tokenize
        /// The learned model: n-gram lookup, TF-IDF, logit, explanation.
        case model
        /// `Normalizer` over the blocks the rules scan.
        case normalize
        /// `RuleScanner.scan` (both Vectorscan passes) over every block.
        case scan
        /// `Scorer.score`, evidence spans mapped back to original offsets, snippets, the row.
        case score
    }

    /// Accumulated wall-clock nanoseconds per `Stage` over the records labelled with
    /// `label(_:in:file:times:)` (CLOCK_MONOTONIC; one clock read at each stage boundary).
    public struct StageTimes: Sendable {
        /// `nanoseconds[stage.rawValue]`: time spent in the stage, summed over records.
        public private(set) var nanoseconds = [UInt64](repeating: 0, count: Stage.allCases.count)
        private var last: UInt64 = 0

        public init() {}

        /// The accumulated time of `stage`, in seconds.
        public func seconds(_ stage: Stage) -> Double { Double(nanoseconds[stage.rawValue]) / 1e9 }

        mutating func restart() { last = Self.now() }

        static func now() -> UInt64 {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
        }
    }
}

/// Stage boundaries inside `RecordLabeler.label`: the real clock for `bench`, nothing otherwise.
protocol StageLaps {
    /// The work since the previous lap belonged to `stage`.
    mutating func lap(_ stage: RecordLabeler.Stage)
}

/// No timing: specialization removes every call.
struct NoLaps: StageLaps {
    @inline(__always) mutating func lap(_ stage: RecordLabeler.Stage) {}
}

extension RecordLabeler.StageTimes: StageLaps {
    mutating func lap(_ stage: RecordLabeler.Stage) {
        let t = Self.now()
        nanoseconds[stage.rawValue] &+= t &- last
        last = t
    }
}

extension NormalizedText {
    /// The first normalized offset whose original offset is at or after `original` (the normalized
    /// length when none is): where an original position lands in the normalized text.
    func normalizedOffset(atOrAfterOriginal original: Int) -> Int {
        var lo = 0, hi = bytes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(originalOffsets[mid]) < original { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
