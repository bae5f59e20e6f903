import AfscanTestSupport
import Foundation
import XCTest

/// Locates `../shared/data` relative to the package root (the directory holding Package.swift).
enum TestData {
    /// `<root>/../shared/data/<relative>`, or XCTSkip when the data folder is absent.
    static func url(_ relative: String) throws -> URL {
        guard let data = TestPaths.sharedData else { throw XCTSkip(TestPaths.sharedDataAbsent) }
        return data.appendingPathComponent(relative)
    }
}
