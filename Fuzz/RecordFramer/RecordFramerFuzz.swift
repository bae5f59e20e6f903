import FuzzSupport
import RecordFraming

// Surface: the record framer (RecordFraming), which cuts a decoded stream into JSONL lines, array
// elements or documents. The first input bytes pick the mode (or sniffing), the record limit, the
// batch size and a chunk size; the rest is the stream.
// Properties (RecordFramer's documented contract): never a crash or trap; the records do not depend
// on how the stream is split into chunks (numbers, offsets, bytes and faults equal for one push and
// for chunked pushes); numbers increase; each range lies in its batch's storage with `padding`
// readable bytes after it; a record's bytes are the stream's bytes at its offset.

private struct Framed: Equatable {
    var number: Int
    var offset: Int64
    var bytes: [UInt8]
    var fault: FramingFault?
}

private func frame(_ stream: [UInt8], mode: FramingMode?, maxRecordBytes: Int, batchBytes: Int, chunk: Int) -> [Framed] {
    let framer = RecordFramer(mode: mode, maxRecordBytes: maxRecordBytes, batchBytes: batchBytes)
    var batches: [RecordBatch] = []
    stream.withUnsafeBytes { all in
        var i = 0
        while i < all.count {
            let end = min(all.count, i + chunk)
            batches += framer.push(UnsafeRawBufferPointer(rebasing: all[i..<end]))
            i = end
        }
    }
    batches += framer.finish()
    var out: [Framed] = []
    for batch in batches {
        for r in batch.records {
            guard r.range.lowerBound >= 0, r.range.upperBound + RecordBatch.padding <= batch.storage.count else {
                fuzzFailure("RecordFramer", "record \(r.recordNumber) range \(r.range) leaves no padding in \(batch.storage.count) bytes")
            }
            out.append(Framed(number: r.recordNumber, offset: r.byteOffset, bytes: Array(batch.storage[r.range]), fault: r.fault))
        }
    }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecordFramer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let modes: [FramingMode?] = [nil, .lines, .array, .document]
    let mode = modes[Int(input.byte()) % modes.count]
    let maxRecordBytes = 1 + Int(input.byte()) * 4
    let batchBytes = 1 + Int(input.byte()) * 8
    let chunk = 1 + Int(input.byte() % 17)
    let stream = input.rest

    let whole = frame(stream, mode: mode, maxRecordBytes: maxRecordBytes, batchBytes: batchBytes, chunk: max(1, stream.count))
    let chunked = frame(stream, mode: mode, maxRecordBytes: maxRecordBytes, batchBytes: batchBytes, chunk: chunk)
    if whole != chunked {
        let i = zip(whole, chunked).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(whole.count, chunked.count)
        fuzzFailure("RecordFramer", "chunks of \(chunk) bytes give \(chunked.count) records, one push \(whole.count); first difference at record index \(i)")
    }
    var lastNumber = 0
    for r in whole {
        guard r.number > lastNumber else { fuzzFailure("RecordFramer", "record number \(r.number) after \(lastNumber)") }
        lastNumber = r.number
        if r.fault == nil {
            guard r.offset >= 0, Int(r.offset) + r.bytes.count <= stream.count,
                  Array(stream[Int(r.offset)..<Int(r.offset) + r.bytes.count]) == r.bytes else {
                fuzzFailure("RecordFramer", "record \(r.number) at offset \(r.offset) (\(r.bytes.count) bytes) is not the stream's bytes there")
            }
        }
    }
    return 0
}
