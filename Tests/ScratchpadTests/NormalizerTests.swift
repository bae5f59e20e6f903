import XCTest
@testable import Scratchpad

final class NormalizerTests: XCTestCase {
    func norm(_ s: String) -> NormalizedText { Normalizer.normalize(utf8(s)) }
    func text(_ n: NormalizedText) -> String { String(decoding: n.bytes, as: UTF8.self) }
    func sentences(_ n: NormalizedText) -> [String] {
        (0..<n.sentenceCount).map { String(decoding: n.bytes[n.sentenceRange($0)], as: UTF8.self) }
    }

    func testCaseFoldAndWhitespaceRuns() {
        let n = norm("Hello \t World")
        XCTAssertEqual(text(n), "hello world")
        XCTAssertEqual(n.originalOffsets, [0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13])
        XCTAssertEqual(n.sentenceStarts, [0])
    }

    func testLeadingAndTrailingWhitespaceDropped() {
        let n = norm("  A b \n")
        XCTAssertEqual(text(n), "a b")
        XCTAssertEqual(n.originalOffsets, [2, 3, 4, 5])
        XCTAssertEqual(n.originalRange(0..<3), 2..<5)
    }

    func testEmpty() {
        for s in ["", "  \n\u{00A0}"] {
            let n = norm(s)
            XCTAssertEqual(n.bytes, [])
            XCTAssertEqual(n.originalOffsets, [0])
            XCTAssertEqual(n.sentenceStarts, [0])
            XCTAssertEqual(n.sentenceIndex(at: 0), 0)
            XCTAssertEqual(n.originalRange(0..<0), 0..<0)
        }
        let none = Normalizer.normalize(utf8("abc"), ranges: [])
        XCTAssertEqual(none.originalOffsets, [0])
        let emptyRange = Normalizer.normalize(utf8("abc"), ranges: [2..<2])
        XCTAssertEqual(emptyRange.originalOffsets, [2])
    }

    func testCurlyQuotes() {
        let s = "It’s “fine” «ok» ‘x’ 5′ 6″ ‚y‛"
        let n = norm(s)
        XCTAssertEqual(text(n), "it's \"fine\" \"ok\" 'x' 5' 6\" 'y'")
        // "It’s “fine”": the curly quotes are 3 bytes each, mapped to their first byte.
        XCTAssertEqual(Array(n.originalOffsets[0..<12]), [0, 1, 2, 5, 6, 7, 10, 11, 12, 13, 14, 17])
    }

    func testDashesAndHyphens() {
        let n = norm("free\u{2011}tier \u{2014} x\u{2013}y \u{2212}1 a\u{2010}b\u{2012}c\u{2015}d\u{FE58}e\u{FE63}f\u{FF0D}g")
        XCTAssertEqual(text(n), "free-tier - x-y -1 a-b-c-d-e-f-g")
        XCTAssertEqual(Array(n.originalOffsets[0..<7]), [0, 1, 2, 3, 4, 7, 8])
    }

    func testSoftHyphenRemoved() {
        let n = norm("co\u{00AD}op")
        XCTAssertEqual(text(n), "coop")
        XCTAssertEqual(n.originalOffsets, [0, 1, 4, 5, 6])
        XCTAssertEqual(n.originalRange(0..<4), 0..<6)
        XCTAssertEqual(n.originalRange(2..<4), 4..<6)
    }

    func testUnicodeSpaces() {
        let s = "a\u{00A0}\u{2009}b\u{202F}c\u{205F}d\u{3000}e\u{2000}\u{200A}f"
        let n = norm(s)
        XCTAssertEqual(text(n), "a b c d e f")
        XCTAssertEqual(n.originalOffsets[1], 1)  // the space maps to the first byte of its run
        XCTAssertEqual(n.originalOffsets[2], 6)
        XCTAssertEqual(n.sentenceStarts, [0])  // no line break, no sentence break
    }

    func testEllipsisExpandsAndMapsBackToWholeScalar() {
        let n = norm("Wait\u{2026} ok")
        XCTAssertEqual(text(n), "wait... ok")
        XCTAssertEqual(n.originalOffsets, [0, 1, 2, 3, 4, 4, 4, 7, 8, 9, 10])
        XCTAssertEqual(n.originalRange(4..<5), 4..<7)
        XCTAssertEqual(n.originalRange(0..<7), 0..<7)
        XCTAssertEqual(n.originalRange(5..<10), 4..<10)
        XCTAssertEqual(n.sentenceStarts, [0, 8])
    }

    func testNonASCIICopiedAsIs() {
        let n = norm("Émile ÀB 😀 中")
        XCTAssertEqual(text(n), "Émile Àb 😀 中")
        XCTAssertEqual(n.bytes.count, utf8("Émile ÀB 😀 中").count)
        XCTAssertEqual(n.originalOffsets[0..<3], [0, 1, 2])
    }

    func testOriginalRangeOfWordsAndSpaces() {
        let s = "I   Will  Comply"
        let n = norm(s)
        XCTAssertEqual(text(n), "i will comply")
        XCTAssertEqual(n.originalRange(2..<6), 4..<8)          // "will"
        XCTAssertEqual(n.originalRange(2..<7), 4..<10)         // "will " covers the whole run
        XCTAssertEqual(n.originalRange(7..<13), 10..<16)       // "comply", to the end
        XCTAssertEqual(n.originalRange(3..<3), 5..<5)
    }

    func testRangesAreJoinedWithASpaceAndASentenceBreak() {
        let s = "one<D>two</D>three"
        let n = Normalizer.normalize(utf8(s), ranges: [0..<3, 13..<18])
        XCTAssertEqual(text(n), "one three")
        XCTAssertEqual(n.originalOffsets, [0, 1, 2, 3, 13, 14, 15, 16, 17, 18])
        XCTAssertEqual(n.sentenceStarts, [0, 4])
        XCTAssertEqual(n.originalRange(0..<3), 0..<3)
        XCTAssertEqual(n.originalRange(4..<9), 13..<18)
        // A trailing space in the first range is reused as the separator.
        let t = Normalizer.normalize(utf8("ab \n<x>cd"), ranges: [0..<4, 7..<9])
        XCTAssertEqual(text(t), "ab cd")
        XCTAssertEqual(t.originalOffsets, [0, 1, 2, 7, 8, 9])
        XCTAssertEqual(t.sentenceStarts, [0, 3])
    }

    func testRangesStartingInsideText() {
        let s = "xxHello World!yy"
        let n = Normalizer.normalize(utf8(s), ranges: [2..<14])
        XCTAssertEqual(text(n), "hello world!")
        XCTAssertEqual(n.originalOffsets.first, 2)
        XCTAssertEqual(n.originalOffsets.last, 14)
    }
}

final class SentenceTests: XCTestCase {
    func sentences(_ s: String) -> [String] {
        let n = Normalizer.normalize(utf8(s))
        return (0..<n.sentenceCount).map { String(decoding: n.bytes[n.sentenceRange($0)], as: UTF8.self) }
    }

    func testTerminalPunctuationAndNewlines() {
        XCTAssertEqual(sentences("First one. Second one!Third? Yes\nfourth line"),
                       ["first one.", "second one!third?", "yes", "fourth line"])
        XCTAssertEqual(sentences("What?! Really... yes"), ["what?!", "really...", "yes"])
        XCTAssertEqual(sentences("3.5 is fine. a.b"), ["3.5 is fine.", "a.b"])
        XCTAssertEqual(sentences("a\n\nb\r\nc\u{2028}d\u{2029}e"), ["a", "b", "c", "d", "e"])
        XCTAssertEqual(sentences("end."), ["end."])
    }

    func testClosersAfterTerminalPunctuation() {
        XCTAssertEqual(sentences("He said \"no.\" Then left. (Really.) **Done.** Ok ’fine.’ Go"),
                       ["he said \"no.\"", "then left.", "(really.)", "**done.**", "ok 'fine.'", "go"])
    }

    func testAbbreviations() {
        XCTAssertEqual(sentences("Use e.g. this. Or e.g. This one."), ["use e.g. this.", "or e.g.", "this one."])
        XCTAssertEqual(sentences("That is, i.e. the rule. Fruit, etc. and more. Etc. Next"),
                       ["that is, i.e. the rule.", "fruit, etc. and more.", "etc.", "next"])
        XCTAssertEqual(sentences("See Mr. Smith vs. Jones and Dr. Who, Mrs. X, Ms. Yu. Next"),
                       ["see mr. smith vs. jones and dr. who, mrs. x, ms. yu.", "next"])
        XCTAssertEqual(sentences("J. R. Tolkien wrote it. More than I. Then"),
                       ["j. r. tolkien wrote it.", "more than i.", "then"])
    }

    func testListEnumeratorsDoNotSplit() {
        XCTAssertEqual(sentences("Options:\n1. Comply. 2. Refuse.\n- Bullet one\n- Bullet two"),
                       ["options:", "1. comply.", "2. refuse.", "- bullet one", "- bullet two"])
        XCTAssertEqual(sentences("We have 2. Then more"), ["we have 2.", "then more"])
    }

    func testSentenceStartsAndIndex() {
        let n = Normalizer.normalize(utf8("Ab.  Cd.\nE"))
        XCTAssertEqual(String(decoding: n.bytes, as: UTF8.self), "ab. cd. e")
        XCTAssertEqual(n.sentenceStarts, [0, 4, 8])
        XCTAssertEqual([-1, 0, 3, 4, 7, 8, 100].map { n.sentenceIndex(at: $0) }, [0, 0, 0, 1, 1, 2, 2])
        XCTAssertEqual(n.sentenceRange(0), 0..<3)
        XCTAssertEqual(n.sentenceRange(2), 8..<9)
        // A single capital initial does not end a sentence.
        XCTAssertEqual(Normalizer.normalize(utf8("A. B.\nC")).sentenceStarts, [0, 6])
    }
}
