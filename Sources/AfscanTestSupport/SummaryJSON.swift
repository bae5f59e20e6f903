import Foundation

/// The summary JSON object in the file at `path` without its `run` block (timings, paths, input
/// faults: what differs between one run and N shards merged), for comparing summaries exactly.
/// Throws when the file cannot be read or is not a JSON object.
public func summaryWithoutRun(_ path: String) throws -> NSDictionary {
    guard var s = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] else {
        throw CocoaError(.coderReadCorrupt)
    }
    s["run"] = nil
    return s as NSDictionary
}
