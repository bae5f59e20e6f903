import Foundation
import XCTest

/// Locates `../shared/data` relative to the package root (the directory holding Package.swift).
enum TestData {
    static var packageRoot: URL {
        // <root>/Tests/SimdJSONTests/TestData.swift
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `<root>/../shared/data/<relative>`, or XCTSkip when the data folder is absent.
    static func url(_ relative: String) throws -> URL {
        let data = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
        guard FileManager.default.fileExists(atPath: data.path) else {
            throw XCTSkip("test data ../shared/data absent (expected at \(data.path))")
        }
        return data.appendingPathComponent(relative)
    }
}
