import ArchiveIO
import InspectLogs

/// Inspect `.eval` logs as the label pipeline reads them (`InspectEvalLog`), for commands that must tell
/// them apart from other inputs before choosing a reader (e.g. `eval`, which also reads label files).
public enum InspectEvalInput {
    /// True when `spec` is a regular file holding an Inspect `.eval` log.
    /// - Throws: `ArchiveError` as `InspectEvalLog.open` does (`.open`, `.corrupt`, or `.unsupportedFormat`
    ///   for a ZIP that is not an Inspect log).
    public static func isEvalLog(_ spec: InputSpec) throws(ArchiveError) -> Bool {
        try InspectEvalLog.open(spec) != nil
    }
}
