// swift-tools-version:6.0
import PackageDescription

// afscan: stream zstd rollout archives into per-sample alignment-faking labels.
// One library target per pipeline stage (see README.md "Architecture"), two C system
// libraries (libzstd, Vectorscan), one C++ shim over simdjson, and a thin CLI.
let package = Package(
    name: "afscan",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "afscan", targets: ["afscan"]),
        // Every stage, for the Benchmarks package and for embedding afscan in other tools.
        .library(
            name: "AfscanKit",
            targets: ["AfscanCore", "ArchiveIO", "RecordFraming", "SimdJSON", "Scratchpad", "TokenModel", "PatternScoring", "EvalStatistics",
                      "LabelSinks", "LabelPipeline", "SyntheticCorpus", "InspectLogs"]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        // Tests only: reads back (and cross-checks) the CSV/TSV that afscan writes.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        // C system libraries (Debian: libzstd-dev, zlib1g-dev, libvectorscan-dev) and the simdjson shim (libsimdjson-dev).
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CSystemZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CHyperscan", pkgConfig: "libhs", providers: [.apt(["libvectorscan-dev"])]),
        .target(
            name: "CSimdJSON",
            cxxSettings: [.unsafeFlags(["-O3"])],
            linkerSettings: [.linkedLibrary("simdjson")]
        ),

        // The token stream's C core: SSE2 word finding, folding and hashing (Sources/Scratchpad/Tokens wraps it).
        .target(name: "CTokenStream", cSettings: [.unsafeFlags(["-O3"])]),

        // Shared vocabulary: conditions, decisions, label values, evidence, the label record.
        .target(name: "AfscanCore"),
        // Stage 1: inputs, sniffing, zstd and gzip stream decoding (and zstd encoding for outputs).
        .target(name: "ArchiveIO", dependencies: ["CZstd", "CSystemZlib", "AfscanCore"]),
        // Stage 1b: Inspect `.eval` logs (ZIP: stored/deflate members through ZIPFoundation, zstd members
        // through libzstd) -> one record per sample.
        .target(name: "InspectLogs", dependencies: ["ArchiveIO", "RecordFraming", "CZstd", "CSystemZlib",
                                                   .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Stage 2: decoded bytes -> records (JSONL lines, JSON array elements, whole documents).
        .target(name: "RecordFraming", dependencies: ["AfscanCore"]),
        // Stage 3a: validating JSON DOM over simdjson.
        .target(name: "SimdJSON", dependencies: ["CSimdJSON"]),
        // Stage 3b: layouts, scratchpad/output extraction, condition, normalization, tokens.
        .target(name: "Scratchpad", dependencies: ["SimdJSON", "AfscanCore", "CTokenStream"]),
        // Stage 4a: the learned scorer: n-gram features over the token stream, linear models, the model
        // file, training and cross-validation.
        .target(name: "TokenModel", dependencies: ["Scratchpad", "CTokenStream", "AfscanCore", "EvalStatistics"]),
        // Stage 4b: YAML rules -> one Vectorscan database -> hits -> criteria -> labels.
        .target(name: "PatternScoring", dependencies: ["CHyperscan", "CTokenStream", "Scratchpad", "AfscanCore", "Yams"]),
        // Evaluation statistics shared by eval, train and the summary: AUROC, bootstrap, confusion matrices,
        // Wilson and Newcombe intervals, Rogan–Gladen.
        .target(name: "EvalStatistics", dependencies: ["AfscanCore"]),
        // Stage 5: label rows, summaries and statistics, atomic (optionally zstd) outputs.
        .target(name: "LabelSinks", dependencies: ["ArchiveIO", "CZstd", "AfscanCore", "EvalStatistics"]),
        // Scheduler outputs of a run: the manifest (JSON) and the Prometheus textfile (swift-prometheus).
        .target(name: "RunReports", dependencies: ["LabelSinks", .product(name: "Prometheus", package: "swift-prometheus")]),
        // Wiring: reader -> framer -> Dispatch workers -> ordered writer.
        .target(
            name: "LabelPipeline",
            dependencies: ["ArchiveIO", "InspectLogs", "RecordFraming", "SimdJSON", "Scratchpad", "TokenModel", "PatternScoring", "LabelSinks", "AfscanCore",
                           .product(name: "HeapModule", package: "swift-collections")]
        ),
        // `afscan show` / `afscan report`: the record behind a label row, re-extracted and highlighted.
        .target(name: "SampleView", dependencies: ["AfscanCore", "ArchiveIO", "InspectLogs", "RecordFraming", "SimdJSON", "Scratchpad", "LabelSinks"]),
        // `afscan report`: the self-contained HTML page (rates, gap, outcome bars, score histograms, sample browser).
        .target(name: "HTMLReport", dependencies: ["SampleView", "LabelSinks", "EvalStatistics", "AfscanCore"]),
        .executableTarget(
            name: "afscan",
            dependencies: ["LabelPipeline", "SyntheticCorpus", "TokenModel", "SampleView", "HTMLReport", "RunReports", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Realistic synthetic rollout archives for benchmarks and scale tests (`afscan generate`).
        .target(name: "SyntheticCorpus", dependencies: ["CZstd", "AfscanCore", "LabelSinks"]),
        .target(name: "AfscanTestSupport", dependencies: ["AfscanCore", "CZstd", .product(name: "CSV", package: "CSV.swift")]),

        .testTarget(name: "ArchiveIOTests", dependencies: ["ArchiveIO", "AfscanTestSupport"]),
        .testTarget(name: "InspectLogsTests", dependencies: ["InspectLogs", "AfscanTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RecordFramingTests", dependencies: ["RecordFraming", "AfscanTestSupport"]),
        .testTarget(name: "SimdJSONTests", dependencies: ["SimdJSON", "AfscanTestSupport"]),
        .testTarget(name: "ScratchpadTests", dependencies: ["Scratchpad", "AfscanCore", "AfscanTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TokenModelTests", dependencies: ["TokenModel", "Scratchpad", "CTokenStream", "AfscanTestSupport"]),
        .testTarget(name: "PatternScoringTests", dependencies: ["PatternScoring", "AfscanCore", "AfscanTestSupport"]),
        .testTarget(name: "LabelSinksTests", dependencies: ["LabelSinks", "AfscanCore", "AfscanTestSupport"]),
        .testTarget(name: "LabelPipelineTests", dependencies: ["LabelPipeline", "AfscanTestSupport"]),
        .testTarget(name: "SyntheticCorpusTests", dependencies: ["SyntheticCorpus", "AfscanCore", "AfscanTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["AfscanTestSupport", "Yams"]),
        .testTarget(name: "SampleViewTests", dependencies: ["SampleView", "Scratchpad", "AfscanCore", "AfscanTestSupport"]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)

// libFuzzer targets (docs/FUZZING.md), one per input surface. Declared only when AFSCAN_FUZZ=1 (set by
// scripts/fuzz.sh, which builds them with `--sanitize=fuzzer --sanitize=address` in .build-fuzz), so the
// normal build and `swift test` never see them.
if Context.environment["AFSCAN_FUZZ"] == "1" {
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/Support"))
    let surfaces: [(name: String, modules: [String])] = [
        ("ZstdReader", ["ArchiveIO"]), ("RecordFramer", ["RecordFraming"]), ("JSONParser", ["SimdJSON"]),
        ("Extraction", ["Scratchpad", "SimdJSON"]), ("RuleFile", ["PatternScoring"]), ("ModelFile", ["TokenModel"]),
        ("TokenModel", ["Scratchpad", "TokenModel"]),
    ]
    for surface in surfaces {
        package.targets.append(.executableTarget(name: "Fuzz\(surface.name)",
                                                 dependencies: ["FuzzSupport"] + surface.modules.map { .target(name: $0) },
                                                 path: "Fuzz/\(surface.name)"))
    }
}
