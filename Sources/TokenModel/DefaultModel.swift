import Foundation

/// The default alignment-faking model, embedded in the binary (`models/default-af.json`, rebuilt by
/// `scripts/train-default-model.sh` and embedded by `scripts/embed-default-model.sh`): word unigrams of
/// the reasoning, trained on `../shared/data` (docs/QUALITY.md, "The learned model").
public enum DefaultModel {
    /// The model file's bytes (the JSON text of `models/default-af.json`, plus its trailing newline).
    public static var bytes: Data {
        var data = json.withUTF8Buffer { Data($0) }
        data.append(0x0A)
        return data
    }

    /// The decoded, ready-to-score default model. Decoding and building the table take a few
    /// milliseconds; callers load it once per run.
    /// - Throws: `ModelFileError` only if the embedded file is invalid (a build error, caught by tests).
    public static func load() throws(ModelFileError) -> LinearModel {
        try LinearModel(try ModelFile.decode(bytes, source: "built-in model"), source: "built-in model")
    }
}
