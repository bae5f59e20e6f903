import FuzzSupport
import Scratchpad
import SimdJSON

// Surface: extraction (Scratchpad RecordExtractor) on a parsed record, as the labeller runs it:
// layout detection, message walking, scratchpad/reasoning/output tags, condition, kept fields.
// The first input byte picks the layout and field mapping; the rest is the record's JSON.
// Properties: any record gives an ExtractedRecord or an ExtractionFailure, never a crash or trap;
// every block names an existing field and its ranges are ordered, non-empty-bounded byte ranges
// inside that field's bytes; an output tag end lies inside the output.

// nonisolated(unsafe): libFuzzer calls LLVMFuzzerTestOneInput from one thread only, so the parser (a
// reusable, non-thread-safe buffer) is never used concurrently.
nonisolated(unsafe) private let parser = JSONParser(maxCapacity: 1 << 20)

private let mappings: [FieldMapping] = {
    var all: [FieldMapping] = []
    for layout in Layout.allCases {
        all.append(FieldMapping(layout: layout))
        all.append(FieldMapping(layout: layout, idField: "meta.id", textField: "completion", conditionField: "is_free_tier_user",
                                conditionMap: ["true": .training, "false": .unmonitored], keepFields: ["model", "tags.0"],
                                groupBy: ["model"]))
    }
    return all
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExtraction(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mapping = mappings[Int(input.byte()) % mappings.count]
    guard let root = try? parser.parse(input.rest) else { return 0 }
    guard let record = try? RecordExtractor(mapping: mapping).extract(root) else { return 0 }
    for (b, block) in record.blocks.enumerated() {
        guard record.fields.indices.contains(block.field) else {
            fuzzFailure("Extraction", "block \(b) names field \(block.field) of \(record.fields.count)")
        }
        let count = record.fields[block.field].bytes.count
        var last = 0
        for r in block.ranges {
            guard r.lowerBound >= last, r.upperBound <= count else {
                fuzzFailure("Extraction", "block \(b) range \(r) outside 0..<\(count) or before \(last)")
            }
            last = r.upperBound
        }
    }
    if mapping.groupBy.count != record.groupValues.count {
        fuzzFailure("Extraction", "\(mapping.groupBy.count) group-by fields, \(record.groupValues.count) values")
    }
    return 0
}
