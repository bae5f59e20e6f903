import ArchiveIO
import Dispatch
import InspectLogs
import RecordFraming

/// Reads one input on a reader ("lane") thread: decoded bytes → `RecordFramer` → batches pushed to the
/// workers' queue, numbered 0, 1, … within the input.
///
/// An Inspect `.eval` log (a ZIP) gives its batches directly, one sample member each (`InspectEvalLog`).
/// Other inputs' decoded bytes come from a `FrameParallelReader` when the input is a regular zstd file with several
/// frames and a decode pool is given (frames decoded on the pool, delivered in order), otherwise from a
/// streaming `InputReader`. Either way the framer sees the same bytes in the same order, so records,
/// numbers, byte offsets and faults are those of a sequential read, and a record cut by a frame boundary
/// is stitched by the framer.
///
/// Memory: a batch is pushed only after taking one permit of `slots` (the lane's in-flight budget); the
/// writer returns it once the batch's rows are written. Waiting for a permit polls `cancelled` and the
/// writer's failure every 50 ms, so an interrupt or a failed sink never leaves a lane blocked behind an
/// input that will not be written.
struct InputFeeder {
    var options: LabelOptions
    var queue: WorkQueue<LabelRun.WorkItem>
    var writer: OrderedWriter
    var pool: FrameDecodePool?
    /// Frames a `FrameParallelReader` of this lane decodes ahead.
    var lookahead: Int
    var slots: DispatchSemaphore
    var cancelled: @Sendable () -> Bool

    /// What reading one input came to.
    struct Result {
        /// Decompressed bytes read.
        var bytes: Int64 = 0
        var fault: ArchiveError?
        /// Frames decoded on the decode pool (0 when the input was read by one streaming decoder).
        var parallelFrames = 0
        /// The run stopped while reading (interrupted, or the sink failed): the input's end was not
        /// announced to the writer.
        var stopped = false
    }

    /// Reads input number `index` (0-based in the run) and announces its end to the writer.
    func feed(_ spec: InputSpec, index: Int) -> Result {
        let framer = RecordFramer(mode: nil, maxRecordBytes: options.maxRecordBytes, batchBytes: options.batchBytes)
        var batchNumber = 0
        var result = Result()
        // With a frame range (--shard): only records whose first byte lies in those frames' decoded bytes
        // [keepFrom, keepBelow) are labelled; the frames before are decoded and framed only, so record
        // numbers and byte offsets are those of a whole read. Both bounds are learnt as the frames start.
        let frames = options.frameRanges[index]
        var keepFrom: Int64 = frames == nil ? 0 : .max
        var keepBelow: Int64 = .max
        var pastRange = false
        func emit(_ batches: [RecordBatch]) {
            for var b in batches {
                if frames != nil {
                    if b.records.contains(where: { $0.byteOffset >= keepBelow }) { pastRange = true }
                    b.records.removeAll { $0.byteOffset < keepFrom || $0.byteOffset >= keepBelow }
                }
                guard !b.records.isEmpty else { continue }
                guard acquire() else { return }
                queue.push(LabelRun.WorkItem(input: index, number: batchNumber, name: spec.displayName, batch: b, slot: slots))
                batchNumber += 1
            }
        }
        /// Frames `bytes` in slices of at most 1 MiB, so batches reach the workers as they are cut.
        func frame(_ bytes: UnsafeRawBufferPointer) -> Bool {
            var offset = 0
            while offset < bytes.count {
                let n = min(1 << 20, bytes.count - offset)
                result.bytes += Int64(n)
                emit(framer.push(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])))
                offset += n
                if stopping() { return false }
            }
            return true
        }
        // On-disk bytes read so far, for the progress line (compressed bytes of a zstd input).
        var counted: Int64 = 0
        func count(_ compressedOffset: Int64) {
            guard let progress = options.progress, compressedOffset > counted else { return }
            progress.add(bytes: compressedOffset - counted)
            counted = compressedOffset
        }
        do {
            if let log = try InspectEvalLog.open(spec) {
                // One record per sample member, numbered and located by the log (InspectEvalLog).
                result.bytes = log.forEachSample(maxRecordBytes: options.maxRecordBytes) { batch in
                    emit([batch])
                    return !stopping()
                }
            } else if let pool, let reader = try FrameParallelReader.open(spec, pool: pool, lookahead: lookahead,
                                                                   maxFrameBytes: options.maxFrameBytes) {
                defer { result.parallelFrames = reader.framesFromPool }
                var frameNumber = 0
                while !stopping() && !pastRange {
                    if let frames {
                        if frameNumber == frames.lowerBound { keepFrom = reader.decompressedOffset }
                        if frameNumber == frames.upperBound { keepBelow = reader.decompressedOffset }
                    }
                    guard try reader.next(frame) else { break }
                    count(reader.compressedOffset)
                    frameNumber += 1
                }
            } else {
                let reader = try InputReader(spec, maxWindowLog: options.maxWindowLog)
                var chunk = [UInt8](repeating: 0, count: 1 << 20)
                while !stopping() {
                    let n = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
                    count(reader.compressedOffset)
                    if n == 0 { break }
                    _ = chunk.withUnsafeBytes { frame(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                }
            }
        } catch let e as ArchiveError {
            result.fault = e
        } catch {
            result.fault = ArchiveError(code: .read, message: "\(error)", input: spec.displayName, decompressedOffset: result.bytes)
        }
        // Records decoded before a fault are kept; a record cut by the fault is framed and rejected. A run
        // that stopped (interrupted, or the sink failed) stops here: a record cut by the stop is not a
        // fault of the input, so it is dropped rather than reported as invalid.
        if stopping() {
            result.stopped = true
            return result
        }
        emit(framer.finish())
        // A fault outside this shard's frames is reported by the shard that owns its offset.
        if frames != nil, let f = result.fault, !(keepFrom..<keepBelow).contains(f.decompressedOffset) {
            result.fault = nil
        }
        writer.endInput(index, batches: batchNumber, fault: result.fault.map { "afscan: \($0.description)" })
        return result
    }

    /// True once the run stops: interrupted, or the sink failed.
    private func stopping() -> Bool { cancelled() || writer.failed }

    /// Takes one in-flight permit; false when the run stops meanwhile (interrupted, or the sink failed:
    /// the writer then waits for the end of an earlier input that will never be announced, so the
    /// permits of a lane reading a later input would never come back).
    private func acquire() -> Bool {
        while slots.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if stopping() { return false }
        }
        return true
    }
}
