import ArgumentParser
import LabelPipeline
import TokenModel

/// `--model`, `--criteria` and `--explain-terms`, the same on `label`, `eval`, `bench` and `follow`.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The learned model: default (built in, models/default-af.json), none (rules only), or a model file from afscan train. Its targets replace the rule labels of the same name (kept as NAME_rules where the criteria run).", valueName: "model"))
    var model: String = "default"

    @Option(help: ArgumentHelp("With a model, when the reasoning rules (criteria, rule composite, taxonomy) run: none, candidates (records in the model's yes/maybe band; the default) or all. Output rules always run.", valueName: "mode"))
    var criteria: String?

    @Option(name: .customLong("explain-terms"), help: ArgumentHelp("With a model, the n-grams listed in each row's explanation per model label, each with every span (default 8; 0 lists none: the row keeps logit, bias and remainder, and is ~5x smaller on scratchpad-heavy archives).", valueName: "n"))
    var explainTerms: Int?

    init() {}

    /// Options naming `model` (for commands that take only a model).
    init(model: String) {
        self.model = model
    }

    func validate() throws {
        if let criteria, CriteriaMode(rawValue: criteria) == nil {
            throw ValidationError("--criteria must be none, candidates or all (got '\(criteria)')")
        }
        if let explainTerms, !(0...1000).contains(explainTerms) {
            throw ValidationError("--explain-terms must be between 0 and 1000 (got \(explainTerms))")
        }
        if explainTerms != nil && model == "none" {
            throw ValidationError("--explain-terms sets how a model's score is explained; with --model none no model runs")
        }
        if criteria != nil && model == "none" {
            throw ValidationError("--criteria chooses where the rules run next to a model; with --model none every rule runs on every record")
        }
    }

    var criteriaMode: CriteriaMode { criteria.flatMap(CriteriaMode.init(rawValue:)) ?? .candidates }

    /// Terms listed per model label (`--explain-terms`, default `LabelOptions.defaultExplainTerms`).
    var explainTermCount: Int { explainTerms ?? LabelOptions.defaultExplainTerms }

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
