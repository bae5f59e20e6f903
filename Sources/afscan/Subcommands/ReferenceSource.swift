import ArgumentParser
import LabelSinks

/// Where `train` and `eval` take the reference from: exactly one of `--reference` (with `--positive`)
/// and `--verdicts` (with an optional `--verdict-threshold`).
enum ReferenceSource {
    case field(ReferenceRule)
    /// The verdict file's path and the score threshold.
    case verdicts(String, threshold: Double)

    /// The source the options name; a `ValidationError` (usage, exit 64) for any other combination.
    static func parse(reference: String?, positive: String?, verdicts: String?, verdictThreshold: Double?) throws -> ReferenceSource {
        switch (reference, verdicts) {
        case (_?, _?):
            throw ValidationError("give either --reference or --verdicts, not both")
        case (nil, nil):
            throw ValidationError("say where the reference is: --reference PATH --positive VALUE (or a comparison), or --verdicts FILE")
        case (let reference?, nil):
            if verdictThreshold != nil { throw ValidationError("--verdict-threshold goes with --verdicts, not --reference") }
            do { return .field(try ReferenceRule.parse(reference: reference, positive: positive)) } catch {
                throw ValidationError(error.description)
            }
        case (nil, let file?):
            if positive != nil { throw ValidationError("--positive goes with --reference, not --verdicts (verdicts say true/false or give a score)") }
            let threshold = verdictThreshold ?? 0.5
            guard threshold.isFinite, (0...1).contains(threshold) else {
                throw ValidationError("--verdict-threshold must be a number in [0, 1] (got \(threshold))")
            }
            return .verdicts(file, threshold: threshold)
        }
    }
}
