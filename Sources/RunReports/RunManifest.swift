import Foundation
import LabelSinks

/// `--manifest run.json`: what one `afscan label` run read, wrote and came to, for a scheduler or a
/// nightly job's bookkeeping (CONTRACT-style keys, snake_case, sorted).
///
/// ```
/// {"schema": "afscan.manifest/v1", "status": "completed"|"interrupted", "exit_status": 0,
///  "afscan_version", "command": [...], "started", "finished", "duration_seconds", "threads", "shard",
///  "rules_hash", "rules_name", "model_hash",
///  "inputs": [{"name", "size_bytes", "modified", "decompressed_bytes", "records", "labelled",
///              "rejected", "fault", "frames"}],
///  "totals": {"records", "labelled", "rejected", "rejected_by_reason": {REASON: N}, "bytes"},
///  "outputs": {"rows", "summary", ...}, "published": true, "note": null}
/// ```
/// Byte counts are bytes; times are ISO 8601 UTC; `frames` is the `--shard` frame range of a split input
/// (`"0..4"`, `"9..end"`), absent for whole inputs.
public struct RunManifest: Sendable {
    public struct Input: Sendable {
        public var name: String
        /// The file's size and modification time when the run ended (nil for standard input).
        public var sizeBytes: Int?
        public var modified: Date?
        public var decompressedBytes: Int64
        public var labelled: Int
        public var rejected: Int
        public var fault: String?
        public var frames: String?

        public init(name: String, sizeBytes: Int?, modified: Date?, decompressedBytes: Int64, labelled: Int, rejected: Int,
                    fault: String?, frames: String?) {
            self.name = name
            self.sizeBytes = sizeBytes
            self.modified = modified
            self.decompressedBytes = decompressedBytes
            self.labelled = labelled
            self.rejected = rejected
            self.fault = fault
            self.frames = frames
        }
    }

    public static let schema = "afscan.manifest/v1"

    public var command: [String]
    public var afscanVersion: String
    public var rulesHash: String?
    public var rulesName: String?
    public var modelHash: String?
    public var started: Date
    public var finished: Date
    public var threads: Int
    public var shard: String?
    public var inputs: [Input]
    /// Rejections by reason over the run (the summary's totals).
    public var rejectedByReason: [String: Int]
    /// Output role (`rows`, `summary`, `export`, `audit_export`, `metrics`) → path as given.
    public var outputs: [String: String]
    /// The process's exit status; 130/143/129 when interrupted by SIGINT/SIGTERM/SIGHUP.
    public var exitStatus: Int32
    /// True when the outputs were published (renamed into place); false for an interrupted run.
    public var published: Bool
    /// Why the counts are incomplete, when they are (a run ended by the watchdog while blocked).
    public var note: String? = nil

    public init(command: [String], afscanVersion: String, rulesHash: String?, rulesName: String?, modelHash: String?,
                started: Date, finished: Date, threads: Int, shard: String?, inputs: [Input], rejectedByReason: [String: Int],
                outputs: [String: String], exitStatus: Int32, published: Bool) {
        self.command = command
        self.afscanVersion = afscanVersion
        self.rulesHash = rulesHash
        self.rulesName = rulesName
        self.modelHash = modelHash
        self.started = started
        self.finished = finished
        self.threads = threads
        self.shard = shard
        self.inputs = inputs
        self.rejectedByReason = rejectedByReason
        self.outputs = outputs
        self.exitStatus = exitStatus
        self.published = published
    }

    public var records: Int { inputs.reduce(0) { $0 + $1.labelled + $1.rejected } }
    public var labelled: Int { inputs.reduce(0) { $0 + $1.labelled } }
    public var rejected: Int { inputs.reduce(0) { $0 + $1.rejected } }
    public var bytes: Int64 { inputs.reduce(0) { $0 + $1.decompressedBytes } }

    /// Pretty-printed JSON with sorted keys and a trailing newline.
    public func jsonData() throws -> Data {
        func null(_ v: Any?) -> Any { v ?? NSNull() }
        let object: [String: Any] = [
            "schema": Self.schema,
            "status": published ? "completed" : "interrupted",
            "exit_status": Int(exitStatus),
            "published": published,
            "afscan_version": afscanVersion,
            "command": command,
            "started": RunInfo.iso8601(started),
            "finished": RunInfo.iso8601(finished),
            "duration_seconds": (finished.timeIntervalSince(started) * 1000).rounded() / 1000,
            "threads": threads,
            "shard": null(shard),
            "rules_hash": null(rulesHash),
            "rules_name": null(rulesName),
            "model_hash": null(modelHash),
            "inputs": inputs.map { i -> [String: Any] in
                var o: [String: Any] = [
                    "name": i.name, "size_bytes": null(i.sizeBytes), "modified": null(i.modified.map(RunInfo.iso8601)),
                    "decompressed_bytes": i.decompressedBytes, "records": i.labelled + i.rejected, "labelled": i.labelled,
                    "rejected": i.rejected, "fault": null(i.fault),
                ]
                if let frames = i.frames { o["frames"] = frames }
                return o
            },
            "totals": ["records": records, "labelled": labelled, "rejected": rejected,
                       "rejected_by_reason": rejectedByReason, "bytes": bytes] as [String: Any],
            "outputs": outputs,
            "note": null(note),
        ]
        var data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }
}
