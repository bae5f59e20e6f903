import AfscanCore
import CTokenStream
import Foundation
import Scratchpad

/// The model file: JSON, `format` = `"afscan-model"`, `version` = 1 (docs/MODEL_FORMAT.md).
///
/// ```
/// {"format":"afscan-model","version":1,
///  "features":{"min_order":1,"max_order":3,"punctuation":false,"fold_numbers":true,"blocks":["reasoning"]},
///  "weighting":"sublinear_tfidf_l2",
///  "vocabulary":[["reasoning","to preserve my",4.21], …],      -- [block, n-gram (tokens joined by one space), idf]
///  "targets":[{"label":"af.goal_guarding","bias":-0.3,"weights":[…],  -- one weight per vocabulary entry
///              "calibration":{"a":1.7,"b":0.1},                 -- probability = σ(a·logit + b) (Platt 1999)
///              "bands":{"yes":0.81,"maybe":0.32},
///              "out_of_fold":{…}}],                              -- figures measured out of fold (TargetStats)
///  "provenance":{…}}                                              -- inputs, counts, CV figures, afscan version
/// ```
/// Keys are written sorted, numbers in Swift's shortest round-trip form, so the same model always gives
/// the same bytes. `model_hash` is the SHA-256 of the canonical encoding of `features`, `weighting`,
/// `vocabulary` and each target's `label`, `bias`, `weights`, `calibration` and `bands` — not of
/// `out_of_fold` or `provenance`, so it changes with the model, never with paths or afscan's version.
public struct ModelFile: Codable, Sendable {
    public static let formatName = "afscan-model"
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    public var features: FeatureSpec
    public var weighting: String
    public var vocabulary: [VocabularyEntry]
    public var targets: [TargetModel]
    public var provenance: Provenance

    public init(features: FeatureSpec, vocabulary: [VocabularyEntry], targets: [TargetModel], provenance: Provenance) {
        self.format = Self.formatName
        self.version = Self.currentVersion
        self.features = features
        self.weighting = Self.weightingName
        self.vocabulary = vocabulary
        self.targets = targets
        self.provenance = provenance
    }

    public static let weightingName = "sublinear_tfidf_l2"

    /// The canonical bytes of the file (sorted keys, no whitespace, trailing newline).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// The model hash (hex SHA-256) over the parts that decide scores and bands.
    public func modelHash() throws -> String {
        struct Scoring: Encodable {
            var features: FeatureSpec
            var weighting: String
            var vocabulary: [VocabularyEntry]
            var targets: [ScoringTarget]
        }
        struct ScoringTarget: Encodable {
            var label: String
            var bias: Double
            var weights: [Double]
            var calibration: Calibration
            var bands: Band
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let scoring = Scoring(features: features, weighting: weighting, vocabulary: vocabulary,
                              targets: targets.map { ScoringTarget(label: $0.label, bias: $0.bias, weights: $0.weights,
                                                                   calibration: $0.calibration, bands: $0.bands) })
        return SHA256.hexDigest(try encoder.encode(scoring))
    }

    /// Decodes and checks a model file. Throws `ModelFileError` naming `source` for anything that is not a
    /// complete, valid model of a version this afscan reads.
    public static func decode(_ data: Data, source: String) throws(ModelFileError) -> ModelFile {
        // The version first, so that a future file gets a clear message rather than a schema error.
        struct Header: Decodable { var format: String?; var version: Int? }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: data) } catch {
            throw ModelFileError(source: source, message: "not a model file (not a JSON object, or cut short: \(data.count) bytes)")
        }
        guard header.format == formatName else {
            throw ModelFileError(source: source, message: "not a model file (format is \(header.format.map { "'\($0)'" } ?? "missing"), expected '\(formatName)')")
        }
        guard let version = header.version else { throw ModelFileError(source: source, message: "model file has no version") }
        guard version >= 1 else { throw ModelFileError(source: source, message: "model file version \(version) is not a version (versions start at 1)") }
        guard version <= currentVersion else {
            throw ModelFileError(source: source, message: "model file version \(version) is newer than this afscan reads (\(currentVersion)); upgrade afscan")
        }
        let file: ModelFile
        do { file = try JSONDecoder().decode(ModelFile.self, from: data) } catch {
            throw ModelFileError(source: source, message: "invalid model file: \(Self.describe(error))")
        }
        if let p = file.features.problem { throw ModelFileError(source: source, message: "invalid feature spec: \(p)") }
        guard file.weighting == weightingName else {
            throw ModelFileError(source: source, message: "unknown weighting '\(file.weighting)' (expected '\(weightingName)')")
        }
        guard !file.targets.isEmpty else { throw ModelFileError(source: source, message: "model file has no target") }
        var labels = Set<String>()
        for t in file.targets {
            if let p = targetLabelProblem(t.label) { throw ModelFileError(source: source, message: p) }
            guard labels.insert(t.label).inserted else { throw ModelFileError(source: source, message: "target '\(t.label)' appears twice") }
            // |w·idf| bounds the contribution of one n-gram (a TF-IDF value is at most 1 after normalisation
            // times the sublinear tf): a model whose logits can overflow is refused, not scored as NaN.
            for (w, v) in zip(t.weights, file.vocabulary) where abs(w) * v.idf > 1e6 {
                throw ModelFileError(source: source, message: "target '\(t.label)': the weight of '\(v.ngram)' times its idf exceeds 1e6 (a logit could overflow)")
            }
            guard abs(t.bias) <= 1e6, abs(t.calibration.a) <= 1e6, abs(t.calibration.b) <= 1e6 else {
                throw ModelFileError(source: source, message: "target '\(t.label)': bias or calibration exceeds 1e6 in magnitude")
            }
            guard t.weights.count == file.vocabulary.count else {
                throw ModelFileError(source: source, message: "target '\(t.label)' has \(t.weights.count) weights for \(file.vocabulary.count) vocabulary entries")
            }
            guard t.bias.isFinite, t.weights.allSatisfy(\.isFinite), t.calibration.a.isFinite, t.calibration.b.isFinite else {
                throw ModelFileError(source: source, message: "target '\(t.label)' has a non-finite number")
            }
            guard t.bands.maybe <= t.bands.yes, (0...1).contains(t.bands.yes), (0...1).contains(t.bands.maybe) else {
                throw ModelFileError(source: source, message: "target '\(t.label)' has invalid bands (yes \(t.bands.yes), maybe \(t.bands.maybe))")
            }
        }
        for (i, v) in file.vocabulary.enumerated() {
            guard v.idf.isFinite, v.idf > 0 else { throw ModelFileError(source: source, message: "vocabulary entry \(i) has an invalid idf") }
            let order = v.ngram.split(separator: " ", omittingEmptySubsequences: false).count
            guard !v.ngram.isEmpty, (file.features.minOrder...file.features.maxOrder).contains(order),
                  !v.ngram.split(separator: " ", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
                throw ModelFileError(source: source, message: "vocabulary entry \(i) ('\(v.ngram)') is not an n-gram of the feature spec's orders")
            }
            guard !v.ngram.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw ModelFileError(source: source, message: "vocabulary entry \(i) holds a control character (an n-gram is token texts joined by single spaces)")
            }
            guard file.features.blocks.contains(v.block) else {
                throw ModelFileError(source: source, message: "vocabulary entry \(i) reads block '\(v.block.rawValue)', which the feature spec does not")
            }
        }
        return file
    }

    /// Labels whose value is categorical (`value`: complied/refused…, comply/refuse…, a level, a type):
    /// the summary and the compliance gap read their `value`, which a score cannot replace, so neither a
    /// model target nor a folded-in verdict may take their place.
    public static let categoricalLabels: Set<String> = ["out.compliance", "crit.decision", "out.compromise_level", "motive.guarding_type"]

    /// Why `label` cannot be a model target (or take a judge's verdict), or nil: it must be a non-empty
    /// dotted name of ASCII letters, digits, `.`, `_` and `-`, not end in `_rules`, `_model`, `_judge` or
    /// `_previous` (the names a replaced value takes), and not be categorical.
    public static func targetLabelProblem(_ label: String) -> String? {
        if label.isEmpty { return "a target label is empty" }
        if !label.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0)) }) {
            return "target label '\(label.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "\\u{" + String($0.value, radix: 16) + "}" }.joined())' may hold only ASCII letters, digits, '.', '_' and '-'"
        }
        for suffix in ["_rules", "_model", "_judge", "_previous"] where label.hasSuffix(suffix) {
            return "target label '\(label)' ends in '\(suffix)', the name a replaced label takes"
        }
        if categoricalLabels.contains(label) {
            return "'\(label)' is categorical (its rows carry a value the summary reads); a score cannot replace it"
        }
        return nil
    }

    /// Reads and decodes a model file.
    public static func load(path: String) throws(ModelFileError) -> ModelFile {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ModelFileError(source: path, message: "cannot read the model file: \((error as NSError).localizedDescription)")
        }
        return try decode(data, source: path)
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let ctx): return "missing key '\(key.stringValue)' at \(path(ctx.codingPath))"
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx), DecodingError.dataCorrupted(let ctx):
            return "\(ctx.debugDescription) at \(path(ctx.codingPath))"
        default: return "\(error)"
        }
    }

    static func path(_ keys: [CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}

/// A model file that cannot be used: `source` (the path, or `built-in`) and why.
public struct ModelFileError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var message: String
    public var description: String { "\(source): \(message)" }
}

/// One vocabulary entry: the block, the n-gram as its folded token texts joined by one space, and its idf
/// (`ln((1 + N) / (1 + df)) + 1` over the N training samples; scikit-learn's smooth idf).
public struct VocabularyEntry: Codable, Sendable, Hashable {
    public var block: FeatureSpec.Block
    public var ngram: String
    public var idf: Double

    public init(block: FeatureSpec.Block, ngram: String, idf: Double) {
        self.block = block
        self.ngram = ngram
        self.idf = idf
    }

    public init(from decoder: Decoder) throws {
        var c = try decoder.unkeyedContainer()
        block = try c.decode(FeatureSpec.Block.self)
        ngram = try c.decode(String.self)
        idf = try c.decode(Double.self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(block)
        try c.encode(ngram)
        try c.encode(idf)
    }
}

/// Platt scaling: the calibrated probability of a logit z is σ(a·z + b) (J. Platt 1999, "Probabilistic
/// outputs for support vector machines"), fitted on out-of-fold logits.
public struct Calibration: Codable, Sendable, Hashable {
    public var a: Double
    public var b: Double
    public init(a: Double, b: Double) { self.a = a; self.b = b }
    public static let identity = Calibration(a: 1, b: 0)
    public func probability(_ logit: Double) -> Double { 1 / (1 + exp(-(a * logit + b))) }
}

/// One target label's weights and what training measured of it.
public struct TargetModel: Codable, Sendable {
    /// The label the target writes, e.g. `af.goal_guarding`.
    public var label: String
    public var bias: Double
    /// One weight per vocabulary entry.
    public var weights: [Double]
    public var calibration: Calibration
    /// Bands on the calibrated probability.
    public var bands: Band
    /// Out-of-fold figures (`TargetStats`), used for prevalence correction and reported by `model info`.
    public var outOfFold: TargetStats

    public init(label: String, bias: Double, weights: [Double], calibration: Calibration, bands: Band, outOfFold: TargetStats) {
        self.label = label
        self.bias = bias
        self.weights = weights
        self.calibration = calibration
        self.bands = bands
        self.outOfFold = outOfFold
    }

    enum CodingKeys: String, CodingKey { case label, bias, weights, calibration, bands, outOfFold = "out_of_fold" }
}

/// What cross-validation measured of a target, out of fold (the figures the bands were chosen on).
public struct TargetStats: Codable, Sendable, Hashable {
    /// Which out-of-fold predictions the bands and rates below come from: `k-fold` or `leave-one-file-out`.
    public var source: String
    public var samples: Int
    public var positives: Int
    /// True-positive and false-positive rates of the `yes` band and of `yes ∪ maybe`, out of fold
    /// (sensitivity and 1 − specificity, for the adjusted classify-and-count prevalence).
    public var tprYes: Double
    public var fprYes: Double
    public var tprYesOrMaybe: Double
    public var fprYesOrMaybe: Double
    /// Precision of `yes` and of `yes ∪ maybe` at the training files' prior (not an archive's).
    public var precisionYes: Double?
    public var precisionYesOrMaybe: Double?
    public var aurocKFold: Double?
    public var aurocLeaveOneFileOut: Double?
    /// TPR and FPR of the `yes` band on the leave-one-file-out out-of-fold probabilities (each file
    /// scored by a model trained on the others, at the same threshold): the rates that transfer to a new
    /// source, used for the adjusted prevalence when present (training on several files). Nil otherwise.
    public var tprYesLeaveOneFileOut: Double? = nil
    public var fprYesLeaveOneFileOut: Double? = nil

    public init(source: String, samples: Int, positives: Int, tprYes: Double, fprYes: Double, tprYesOrMaybe: Double,
                fprYesOrMaybe: Double, precisionYes: Double?, precisionYesOrMaybe: Double?, aurocKFold: Double?,
                aurocLeaveOneFileOut: Double?) {
        self.source = source
        self.samples = samples
        self.positives = positives
        self.tprYes = tprYes
        self.fprYes = fprYes
        self.tprYesOrMaybe = tprYesOrMaybe
        self.fprYesOrMaybe = fprYesOrMaybe
        self.precisionYes = precisionYes
        self.precisionYesOrMaybe = precisionYesOrMaybe
        self.aurocKFold = aurocKFold
        self.aurocLeaveOneFileOut = aurocLeaveOneFileOut
    }

    enum CodingKeys: String, CodingKey {
        case source, samples, positives
        case tprYes = "tpr_yes", fprYes = "fpr_yes", tprYesOrMaybe = "tpr_yes_or_maybe", fprYesOrMaybe = "fpr_yes_or_maybe"
        case precisionYes = "precision_yes", precisionYesOrMaybe = "precision_yes_or_maybe"
        case aurocKFold = "auroc_kfold", aurocLeaveOneFileOut = "auroc_leave_one_file_out"
        case tprYesLeaveOneFileOut = "tpr_yes_leave_one_file_out", fprYesLeaveOneFileOut = "fpr_yes_leave_one_file_out"
    }
}

/// Where a model came from: never used for scoring, not part of `model_hash`.
public struct Provenance: Codable, Sendable {
    public struct Input: Codable, Sendable {
        /// The input's base name (never a full path).
        public var name: String
        /// SHA-256 of the input's bytes as read (compressed if the file is).
        public var sha256: String
        public var samples: Int
        public var positives: Int
        public var weight: Double
        public init(name: String, sha256: String, samples: Int, positives: Int, weight: Double) {
            self.name = name
            self.sha256 = sha256
            self.samples = samples
            self.positives = positives
            self.weight = weight
        }
    }
    public var afscanVersion: String
    public var inputs: [Input]
    public var reference: String
    /// Regularisation strength C (the loss is Σ sᵢ·log(1+e^(−yᵢ·zᵢ)) + ‖w‖²/(2C)).
    public var c: Double
    public var minDocumentFrequency: Int
    public var maxFeatures: Int
    public var folds: Int
    public var seed: UInt64
    public var classWeighting: String
    /// The cross-validation report lines (k-fold and leave-one-file-out AUROC with intervals).
    public var report: [String]

    public init(afscanVersion: String, inputs: [Input], reference: String, c: Double, minDocumentFrequency: Int,
                maxFeatures: Int, folds: Int, seed: UInt64, classWeighting: String, report: [String]) {
        self.afscanVersion = afscanVersion
        self.inputs = inputs
        self.reference = reference
        self.c = c
        self.minDocumentFrequency = minDocumentFrequency
        self.maxFeatures = maxFeatures
        self.folds = folds
        self.seed = seed
        self.classWeighting = classWeighting
        self.report = report
    }

    enum CodingKeys: String, CodingKey {
        case afscanVersion = "afscan_version", inputs, reference, c, minDocumentFrequency = "min_df", maxFeatures = "max_features"
        case folds, seed, classWeighting = "class_weighting", report
    }
}
