import ArgumentParser
import LabelSinks

/// `--sensitivity` / `--specificity` of `afscan label` and `afscan summary`: when both are given,
/// every summary group gets a Rogan–Gladen `prevalence_corrected` block for its AF rate.
struct CalibrationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Sensitivity of af.goal_guarding = yes in [0, 1] (e.g. from `afscan eval` on an audited set); with --specificity adds Rogan–Gladen corrected AF prevalence to the summary.", valueName: "p"))
    var sensitivity: Double?

    @Option(help: ArgumentHelp("Specificity of af.goal_guarding = yes in [0, 1]; see --sensitivity.", valueName: "p"))
    var specificity: Double?

    func validate() throws {
        if (sensitivity == nil) != (specificity == nil) {
            throw ValidationError("give both --sensitivity and --specificity, or neither")
        }
        if let sensitivity, let specificity, ClassifierAccuracy(sensitivity: sensitivity, specificity: specificity) == nil {
            throw ValidationError("--sensitivity and --specificity must lie in [0, 1]")
        }
    }

    /// The accuracy to correct with, or nil when the options were not given.
    var accuracy: ClassifierAccuracy? {
        guard let sensitivity, let specificity else { return nil }
        return ClassifierAccuracy(sensitivity: sensitivity, specificity: specificity)
    }
}
