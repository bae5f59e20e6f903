import Benchmark
import Foundation
import Scratchpad
import SyntheticCorpus
import TokenModel

// Throughput of the token stream (TokenBuffer.tokenize) and of the token stream plus the default model
// (ModelScorer.score with models/default-af.json) over realistic scratchpad text held in memory.
//
// Text: the <SCRATCHPAD_REASONING> blocks of ../shared/data/train/multistyle_labelled.jsonl (beside the
// repository) when that file exists, else the scratchpad blocks of `afscan generate`'s synthetic corpus
// (seed 7, the same number of bytes). Each sample is tokenized as the pipeline does: the record's text
// with the scratchpad ranges. One iteration is `passes` passes over every sample; MB/s of scratchpad text
// = (bytes per iteration, printed once to stderr) / the iteration's time. docs/BENCHMARKS.md ("Token
// stream and model") has the figures and the commands.
//
// AFSCAN_BENCH_PASSES (default 8) sets the passes per iteration.

let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let passes = Int(ProcessInfo.processInfo.environment["AFSCAN_BENCH_PASSES"].flatMap { Int($0) } ?? 8)

struct Sample {
    var text: [UInt8]
    var ranges: [Range<Int>]
}

/// Every range of `text` between `<SCRATCHPAD_REASONING>` and its closing tag.
func scratchpadRanges(_ text: [UInt8]) -> [Range<Int>] {
    let open = Array("<SCRATCHPAD_REASONING>".utf8), close = Array("</SCRATCHPAD_REASONING>".utf8)
    func find(_ needle: [UInt8], from: Int) -> Int? {
        var i = from
        while i + needle.count <= text.count {
            if text[i] == needle[0] && text[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
    var out: [Range<Int>] = []
    var i = 0
    while let o = find(open, from: i) {
        let s = o + open.count
        guard let c = find(close, from: s) else { break }
        out.append(s..<c)
        i = c + close.count
    }
    return out
}

let corpus: (samples: [Sample], bytes: Int, source: String) = {
    let path = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/train/multistyle_labelled.jsonl").path
    var samples: [Sample] = []
    var source = path
    if let data = FileManager.default.contents(atPath: path) {
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let text = obj["text"] as? String else { continue }
            let bytes = Array(text.utf8)
            let ranges = scratchpadRanges(bytes)
            if !ranges.isEmpty { samples.append(Sample(text: bytes, ranges: ranges)) }
        }
    }
    if samples.isEmpty {
        var options = CorpusOptions()
        options.seed = 7
        let generator = try! CorpusGenerator(options: options)
        var total = 0, i = 0
        while total < 680_000 {
            for block in generator.rollout(at: i).blocks {
                let bytes = Array(block.utf8)
                samples.append(Sample(text: bytes, ranges: [0..<bytes.count]))
                total += bytes.count
            }
            i += 1
        }
        source = "synthetic corpus (seed 7)"
    }
    let bytes = samples.reduce(0) { $0 + $1.ranges.reduce(0) { $0 + $1.count } }
    FileHandle.standardError.write(Data("afscan token stream bench: \(source): \(samples.count) samples, \(bytes) bytes of scratchpad text; \(passes) passes = \(bytes * passes) bytes per iteration\n".utf8))
    return (samples, bytes, source)
}()

let model: LinearModel = {
    let file = try! ModelFile.load(path: repoRoot.appendingPathComponent("models/default-af.json").path)
    return try! LinearModel(file)
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .throughput],
        warmupIterations: 2,
        scalingFactor: .one,
        maxDuration: .seconds(10),
        maxIterations: 50,
        thresholds: [.wallClock: .init(relative: [.p90: 35.0])]
    )
    _ = (corpus, model)

    Benchmark("TokenStream") { benchmark in
        let buffer = TokenBuffer(capacity: 1 << 16)
        for _ in benchmark.scaledIterations {
            var tokens = 0
            for _ in 0..<passes {
                for s in corpus.samples {
                    s.text.withUnsafeBufferPointer { buffer.tokenize($0, ranges: s.ranges) }
                    tokens &+= buffer.count
                }
            }
            blackHole(tokens)
        }
    }

    Benchmark("TokenStream+Model") { benchmark in
        let buffer = TokenBuffer(capacity: 1 << 16)
        let scorer = ModelScorer(model)
        for _ in benchmark.scaledIterations {
            var sum = 0.0
            for _ in 0..<passes {
                for s in corpus.samples {
                    s.text.withUnsafeBufferPointer { text in
                        buffer.tokenize(text, ranges: s.ranges)
                        let block = ModelBlock(kind: .reasoning, index: 0, text: text, tokens: buffer.tokens)
                        sum += scorer.score([block])[0].logit
                    }
                }
            }
            blackHole(sum)
        }
    }
}
