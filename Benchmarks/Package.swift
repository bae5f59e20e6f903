// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package (as in swift-nio) so that `swift build` of afscan never
// compiles package-benchmark. Run: cd Benchmarks && swift package benchmark
let package = Package(
    name: "afscan-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "afscan", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PipelineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "AfscanKit", package: "afscan"),
            ],
            path: "Benchmarks/PipelineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "TokenStreamBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "AfscanKit", package: "afscan"),
            ],
            path: "Benchmarks/TokenStreamBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
