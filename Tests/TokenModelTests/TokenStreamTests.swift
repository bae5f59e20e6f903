import Scratchpad
import XCTest

final class TokenStreamTests: XCTestCase {
    func testPlaceholder() {}
}
