import AfscanCore
import Foundation
import HeapModule
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How many routed rows a judge may see: a count, or a percentage of the labelled records.
public enum ExportBudget: Sendable, Equatable, CustomStringConvertible {
    case count(Int)
    case percent(Double)

    /// `250` or `5%` (0 < P ≤ 100, N ≥ 1), plain decimal digits (with one `.` in a percentage); nil
    /// otherwise (no hexadecimal, exponent or sign).
    public init?(_ text: String) {
        let body = text.hasSuffix("%") ? text.dropLast() : Substring(text)
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              body.filter({ $0 == "." }).count <= (text.hasSuffix("%") ? 1 : 0) else { return nil }
        if text.hasSuffix("%") {
            guard let p = Double(text.dropLast()), p > 0, p <= 100 else { return nil }
            self = .percent(p)
        } else {
            guard let n = Int(text), n >= 1 else { return nil }
            self = .count(n)
        }
    }

    public var description: String {
        switch self {
        case .count(let n): return "\(n)"
        case .percent(let p): return "\(p)%"
        }
    }
}

/// One selected row: its ordering key and its encoded bytes (a whole JSON line).
struct SelectedRow: Comparable {
    var key: Double
    var input: Int
    var record: Int
    var bytes: [UInt8]
    static func < (a: SelectedRow, b: SelectedRow) -> Bool {
        (a.key, a.input, a.record) < (b.key, b.input, b.record)
    }
    static func == (a: SelectedRow, b: SelectedRow) -> Bool {
        a.key == b.key && a.input == b.input && a.record == b.record
    }
}

/// The routed rows under a budget, most uncertain (smallest uncertainty) first; the same rows and order
/// for any `-j` (ties broken by input and record number). Filled by the workers, thread-safe.
///
/// Memory: a count budget N keeps a bounded max-heap of N rows. A percentage budget is resolved at the
/// end (the labelled count is known only then) from a disk-backed spill: every routed row is appended to
/// an unlinked temporary file and counted in a 4,096-bin histogram of its uncertainty; at the end one pass
/// keeps the rows below the cut bin and the most uncertain of the cut bin. Memory is then 32 bytes per
/// exported row, whatever the number routed.
public final class BudgetedExport: Sendable {
    public let budget: ExportBudget
    private struct State: ~Copyable {
        var heap = Heap<SelectedRow>()
        var spill: UnsafeMutablePointer<FILE>?
        var histogram = [Int](repeating: 0, count: BudgetedExport.bins)
        var routed = 0
        var error: String?
    }
    static let bins = 4096
    private let state: Mutex<State>

    /// - Throws: a message when the spill file cannot be created (percentage budgets).
    public init(budget: ExportBudget) throws {
        self.budget = budget
        var s = State()
        if case .percent = budget {
            do { s.spill = try SpillFile.open(prefix: "afscan-budget") } catch {
                throw JudgeSelectionError(message: "cannot create a temporary spill file for --budget: \(error)")
            }
        }
        state = Mutex(s)
    }

    deinit {
        state.withLock { if let f = $0.spill { fclose(f) } }
    }

    static func bin(_ u: Double) -> Int { min(max(Int(u * Double(bins)), 0), bins - 1) }

    /// Adds one routed row.
    public func add(uncertainty: Double, input: Int, record: Int, bytes: [UInt8]) {
        let row = SelectedRow(key: uncertainty, input: input, record: record, bytes: bytes)
        state.withLock { s in
            s.routed += 1
            switch budget {
            case .count(let n):
                if s.heap.count < n {
                    s.heap.insert(row)
                } else if let worst = s.heap.max, row < worst {
                    _ = s.heap.replaceMax(with: row)
                }
            case .percent:
                guard s.error == nil, let f = s.spill else { return }
                var header: (Double, Int64, Int64, Int64) = (uncertainty, Int64(input), Int64(record), Int64(bytes.count))
                let ok = withUnsafeBytes(of: &header) { fwrite($0.baseAddress, 1, $0.count, f) == $0.count }
                    && bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) == $0.count }
                if !ok { s.error = "cannot write the --budget spill file: \(String(cString: strerror(errno)))" }
                s.histogram[Self.bin(uncertainty)] += 1
            }
        }
    }

    /// Rows routed so far (before the budget).
    public var routed: Int { state.withLock { $0.routed } }

    /// The selected rows in order (most uncertain first), given the run's labelled count.
    /// - Throws: `JudgeSelectionError` when the spill file could not be written or read back.
    public func finish(labelled: Int) throws -> [[UInt8]] {
        try state.withLock { s in
            if let e = s.error { throw JudgeSelectionError(message: e) }
            switch budget {
            case .count:
                var rows: [SelectedRow] = []
                while let r = s.heap.popMin() { rows.append(r) }
                return rows.map(\.bytes)
            case .percent(let p):
                guard let f = s.spill else { return [] }
                let k = min(s.routed, Int((p / 100 * Double(labelled)).rounded(.up)))
                // cut bin: rows in bins below it all go; the cut bin supplies the rest
                var below = 0, cut = Self.bins
                for (b, c) in s.histogram.enumerated() {
                    if below + c >= k { cut = b; break }
                    below += c
                }
                struct Meta { var u: Double; var input: Int; var record: Int; var offset: Int; var length: Int }
                var keep: [Meta] = [], edge: [Meta] = []
                rewind(f)
                var offset = 0
                var header: (Double, Int64, Int64, Int64) = (0, 0, 0, 0)
                let headerSize = MemoryLayout.size(ofValue: header)
                while withUnsafeMutableBytes(of: &header, { fread($0.baseAddress, 1, $0.count, f) == $0.count }) {
                    let length = Int(header.3)
                    let m = Meta(u: header.0, input: Int(header.1), record: Int(header.2), offset: offset + headerSize, length: length)
                    let b = Self.bin(header.0)
                    if b < cut { keep.append(m) } else if b == cut { edge.append(m) }
                    guard fseek(f, length, SEEK_CUR) == 0 else { throw JudgeSelectionError(message: "cannot read the --budget spill file") }
                    offset += headerSize + length
                }
                func order(_ a: Meta, _ b: Meta) -> Bool { (a.u, a.input, a.record) < (b.u, b.input, b.record) }
                edge.sort(by: order)
                keep += edge.prefix(max(0, k - keep.count))
                keep.sort(by: order)
                var out: [[UInt8]] = []
                out.reserveCapacity(keep.count)
                for m in keep {
                    var bytes = [UInt8](repeating: 0, count: m.length)
                    guard fseek(f, m.offset, SEEK_SET) == 0,
                          bytes.withUnsafeMutableBytes({ fread($0.baseAddress, 1, m.length, f) == m.length }) else {
                        throw JudgeSelectionError(message: "cannot read the --budget spill file")
                    }
                    out.append(bytes)
                }
                return out
            }
        }
    }
}

/// A uniform random sample of N labelled rows for the nightly judge audit (`--audit N --seed S`): the N
/// rows with the smallest keys SplitMix64(seed, the input's name as given, record number) — a bottom-N
/// sketch, so the sample is the same for any `-j`, and the samples of shards merged by their keys give
/// the sample of the whole. Inputs are told apart by their full name (`day1/shard-000.jsonl` and
/// `day2/shard-000.jsonl` draw independently); the same file named twice draws the same records twice.
/// Memory: N rows. Written in input order.
public final class AuditSample: Sendable {
    public let size: Int
    public let seed: UInt64
    private let heap = Mutex(Heap<SelectedRow>())

    public init(size: Int, seed: UInt64) {
        self.size = size
        self.seed = seed
    }

    /// The sampling key of a record.
    public func key(file: String, record: Int) -> UInt64 {
        var h = SplitMix64.mix(seed ^ 0xA0D1_7000_0000_0001)
        for b in file.utf8 { h = SplitMix64.mix(h ^ UInt64(b)) }
        return SplitMix64.mix(h ^ UInt64(truncatingIfNeeded: record))
    }

    public func add(file: String, input: Int, record: Int, bytes: @autoclosure () -> [UInt8]) {
        let k = Double(key(file: file, record: record) >> 11) / Double(1 << 53)
        heap.withLock { h in
            if h.count < size {
                h.insert(SelectedRow(key: k, input: input, record: record, bytes: bytes()))
            } else if let worst = h.max, (k, input, record) < (worst.key, worst.input, worst.record) {
                _ = h.replaceMax(with: SelectedRow(key: k, input: input, record: record, bytes: bytes()))
            }
        }
    }

    /// The sampled rows in input order.
    public func rows() -> [[UInt8]] {
        heap.withLock { h in
            h.unordered.sorted { ($0.input, $0.record) < ($1.input, $1.record) }.map(\.bytes)
        }
    }
}

/// The spill file of a percentage budget could not be created, written or read back.
public struct JudgeSelectionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
