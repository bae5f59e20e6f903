import ArgumentParser
import LabelPipeline
import TokenModel

/// `--model` and `--criteria`, the same on `label`, `eval` and `bench`.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The learned model: default (built in, models/default-af.json), none (rules only), or a model file from afscan train. Its targets replace the rule labels of the same name (kept as NAME_rules where the criteria run).", valueName: "model"))
    var model: String = "default"

    @Option(help: ArgumentHelp("With a model, when the reasoning rules (criteria, rule composite, taxonomy) run: none, candidates (records in the model's yes/maybe band; the default) or all. Output rules always run.", valueName: "mode"))
    var criteria: String?

    init() {}

    /// Options naming `model` (for commands that take only a model).
    init(model: String) {
        self.model = model
    }

    func validate() throws {
        if let criteria, CriteriaMode(rawValue: criteria) == nil {
            throw ValidationError("--criteria must be none, candidates or all (got '\(criteria)')")
        }
        if criteria != nil && model == "none" {
            throw ValidationError("--criteria chooses where the rules run next to a model; with --model none every rule runs on every record")
        }
    }

    var criteriaMode: CriteriaMode { criteria.flatMap(CriteriaMode.init(rawValue:)) ?? .candidates }

    /// The model file path, when `--model` names one (for the output-collision checks).
    var modelPath: String? { ["default", "none"].contains(model) ? nil : model }

    /// The model to run, nil for `none`; a bad model file ends the run with exit 2.
    func load() throws -> LinearModel? {
        switch model {
        case "none": return nil
        case "default":
            do { return try DefaultModel.load() } catch {
                Stderr.line("afscan: \(error)")
                throw ExitCode(2)
            }
        default: return try loadModel(model)
        }
    }
}
