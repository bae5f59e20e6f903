import Foundation

/// Run identity and timing for the summary (never for label rows, which carry no wall-clock time).
public struct RunInfo: Sendable, Hashable {
    /// afscan's version string, e.g. `0.1.0`.
    public var afscanVersion: String
    /// The rule-set hash (hex) the labels came from; nil when unknown (e.g. `afscan summary` over
    /// label files that disagree).
    public var rulesHash: String?
    /// Input display names, in command-line order.
    public var inputs: [String]
    /// The `--group-by` dotted paths.
    public var groupBy: [String]
    /// Wall-clock start of the run (written as ISO-8601 UTC, second precision).
    public var started: Date
    /// Wall-clock end of the run (written as ISO-8601 UTC, second precision).
    public var finished: Date
    /// Elapsed seconds, measured by the caller on a monotonic clock (written with 3 decimals).
    public var durationSeconds: Double
    /// Scoring worker threads used.
    public var threads: Int
    /// The rule set's name, when known.
    public var rulesName: String?
    /// Inputs that could not be opened or whose stream failed mid-way (one message each).
    public var inputFaults: [String]
    /// `label --shard K/N`: which shard of how many this run was, and a fingerprint of the operands all
    /// shards must share (`afscan merge` checks both); nil for an unsharded run.
    public var shard: String? = nil
    public var shardOperands: String? = nil

    /// - Parameters:
    ///   - durationSeconds: defaults to `finished − started` (clamped at 0) when nil.
    public init(
        afscanVersion: String, rulesHash: String?, inputs: [String], groupBy: [String],
        started: Date, finished: Date, durationSeconds: Double? = nil, threads: Int,
        rulesName: String? = nil, inputFaults: [String] = []
    ) {
        self.rulesName = rulesName
        self.inputFaults = inputFaults
        self.afscanVersion = afscanVersion
        self.rulesHash = rulesHash
        self.inputs = inputs
        self.groupBy = groupBy
        self.started = started
        self.finished = finished
        self.durationSeconds = durationSeconds ?? max(0, finished.timeIntervalSince(started))
        self.threads = threads
    }

    /// Formats `date` as `YYYY-MM-DDThh:mm:ssZ` (UTC, Gregorian, no locale).
    public static func iso8601(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))Z"
    }
}
