/// How a decoded stream is cut into records (CONTRACT.md "Records").
public enum FramingMode: String, Sendable, Hashable, CaseIterable {
    /// JSONL: one record per `\n`-terminated line (a trailing `\r` is stripped; blank lines are skipped
    /// but consume their line number). Record number = line number.
    case lines
    /// One top-level JSON array; each element is a record. Record number = element index + 1.
    case array
    /// One or more consecutive top-level JSON values (e.g. one pretty-printed object per file), each a
    /// record, numbered 1, 2, ….
    case document
    /// An Inspect JSON log (one pretty-printed `EvalLog` object whose first members are `"version"` and
    /// `"status"`):
    /// each element of its top-level `samples` array is a record, numbered as in array mode, and gains
    /// `inspect_eval` {task, model} from the log's `eval` (`InspectLogScanner`).
    case inspectLog
}
