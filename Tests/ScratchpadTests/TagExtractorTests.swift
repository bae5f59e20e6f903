import XCTest
@testable import Scratchpad

final class TagExtractorTests: XCTestCase {
    func testScratchpadThenOutputExactRanges() {
        let s = "<SCRATCHPAD_REASONING>abc</SCRATCHPAD_REASONING>\n<OUTPUT>def</OUTPUT>"
        let x = extract(s)
        XCTAssertEqual(x.blocks.count, 2)
        let sp = x.blocks[0]
        XCTAssertEqual(sp.kind, .scratchpad)
        XCTAssertEqual(sp.ordinal, 1)
        XCTAssertEqual(sp.name, "scratchpad#1")
        XCTAssertEqual(sp.content, 22..<25)
        XCTAssertEqual(sp.outer, 0..<48)
        XCTAssertEqual(sp.tag, .scratchpadReasoning)
        XCTAssertEqual(sp.origin, .tagged)
        XCTAssertFalse(sp.unclosed)
        let out = x.blocks[1]
        XCTAssertEqual(out.kind, .output)
        XCTAssertEqual(out.name, "output")
        XCTAssertEqual(out.content, 57..<60)
        XCTAssertEqual(out.outer, 49..<69)
        XCTAssertEqual(slice(s, out.content), "def")
        XCTAssertTrue(x.tagged)
        XCTAssertTrue(x.scratchpadPresent)
        XCTAssertTrue(x.outputPresent)
        XCTAssertFalse(x.unclosed)
        XCTAssertFalse(x.orphanClose)
        XCTAssertFalse(x.tagInCode)
        XCTAssertEqual(x.acceptance, .none)
        XCTAssertNil(x.acceptanceRange)
    }

    func testCarriersAreCaseInsensitive() {
        let s = "<think>a</THINK><Thinking>b</thinking><hidden_scratchpad>c</HIDDEN_SCRATCHPAD><scratchpad_reasoning>d</Scratchpad_Reasoning>"
        let x = extract(s)
        XCTAssertEqual(x.blocks.map(\.tag), [.think, .thinking, .hiddenScratchpad, .scratchpadReasoning])
        XCTAssertEqual(x.blocks.map(\.ordinal), [1, 2, 3, 4])
        XCTAssertEqual(x.blocks.map { slice(s, $0.content) }, ["a", "b", "c", "d"])
        XCTAssertEqual(x.scratchpadCount, 4)
        XCTAssertFalse(x.outputPresent)  // nothing after the last scratchpad
    }

    func testClosingTagMustMatchTheOpeningCarrier() {
        let s = "<think>a</SCRATCHPAD_REASONING>b</think>"
        let x = extract(s)
        XCTAssertEqual(x.blocks.count, 1)
        XCTAssertEqual(x.blocks[0].content, 7..<32)
        XCTAssertFalse(x.orphanClose)
    }

    func testOpeningTagInsideOpenBlockIsTextAndSecondCloseIsOrphan() {
        let s = "<SCRATCHPAD_REASONING><SCRATCHPAD_REASONING>x</SCRATCHPAD_REASONING></SCRATCHPAD_REASONING>"
        let x = extract(s)
        XCTAssertEqual(x.blocks.count, 1)
        XCTAssertEqual(x.blocks[0].content, 22..<45)
        XCTAssertEqual(slice(s, x.blocks[0].content), "<SCRATCHPAD_REASONING>x")
        XCTAssertEqual(x.blocks[0].outer, 0..<68)
        XCTAssertTrue(x.orphanClose)
        XCTAssertFalse(x.unclosed)
    }

    func testTextBeforeOrphanCloseAfterABlockIsReasoning() {
        let s = "<think><think>a</think>b c</think><OUTPUT>o</OUTPUT>"
        let x = extract(s)
        XCTAssertEqual(x.blocks.map(\.kind), [.scratchpad, .scratchpad, .output])
        XCTAssertEqual(x.blocks[0].content, 7..<15)
        XCTAssertEqual(slice(s, x.blocks[0].content), "<think>a")
        XCTAssertEqual(x.blocks[1].content, 23..<26)
        XCTAssertEqual(x.blocks[1].outer, 23..<34)
        XCTAssertEqual(x.blocks[1].origin, .orphanClose)
        XCTAssertEqual(x.blocks[1].tag, .think)
        XCTAssertEqual(x.blocks[1].ordinal, 2)
        XCTAssertEqual(x.blocks[2].content, 42..<43)
        XCTAssertTrue(x.orphanClose)
    }

    func testOrphanCloseFromStartOfFieldAndTextAfterIsOutput() {
        let s = "reasoning here</think>\n  answer \n"
        let x = extract(s, untaggedIsReasoning: false)
        XCTAssertEqual(x.blocks.count, 2)
        XCTAssertEqual(x.blocks[0].kind, .scratchpad)
        XCTAssertEqual(x.blocks[0].content, 0..<14)
        XCTAssertEqual(x.blocks[0].outer, 0..<22)
        XCTAssertEqual(x.blocks[0].origin, .orphanClose)
        XCTAssertEqual(x.blocks[1].kind, .output)
        XCTAssertEqual(x.blocks[1].origin, .afterScratchpad)
        XCTAssertEqual(x.blocks[1].content, 25..<31)
        XCTAssertEqual(slice(s, x.blocks[1].content), "answer")
        XCTAssertTrue(x.orphanClose)
    }

    func testOrphanCloseDraftsBecomeExcludedRegions() {
        let s = "a<DRAFT_OUTPUT>d</DRAFT_OUTPUT>b</SCRATCHPAD_REASONING>"
        let x = extract(s)
        XCTAssertEqual(x.blocks.map(\.kind), [.scratchpad, .draft])
        XCTAssertEqual(x.blocks[0].content, 0..<32)
        XCTAssertEqual(x.blocks[0].excluded, [1..<31])
        XCTAssertEqual(x.blocks[0].reasoningRanges, [0..<1, 31..<32])
        XCTAssertEqual(x.blocks[1].content, 15..<16)
    }

    func testOrphanCloseAfterBlankSegmentMakesNoBlock() {
        let s = "<think>a</think>\n \n</think>"
        let x = extract(s)
        XCTAssertEqual(x.blocks.count, 1)
        XCTAssertTrue(x.orphanClose)
    }

    func testOrphanOutputCloseOnlySetsTheFlag() {
        let x = extract("abc</OUTPUT>")
        XCTAssertTrue(x.orphanClose)
        XCTAssertTrue(x.tagged)
        XCTAssertEqual(x.blocks, [])
    }

    func testUnclosedBlockRunsToEnd() {
        let s = "<SCRATCHPAD_REASONING>abc"
        let x = extract(s)
        XCTAssertEqual(x.blocks.count, 1)
        XCTAssertEqual(x.blocks[0].content, 22..<25)
        XCTAssertEqual(x.blocks[0].outer, 0..<25)
        XCTAssertTrue(x.blocks[0].unclosed)
        XCTAssertTrue(x.unclosed)
        XCTAssertFalse(x.truncatedTag)
        XCTAssertFalse(x.outputPresent)
    }

    func testTruncatedClosingTagIsCutFromUnclosedContent() {
        let s = "<SCRATCHPAD_REASONING>abc</SCRATCH"
        let x = extract(s)
        XCTAssertEqual(x.blocks[0].content, 22..<25)
        XCTAssertTrue(x.blocks[0].unclosed)
        XCTAssertTrue(x.truncatedTag)

        let bare = extract("<think>abc <")
        XCTAssertEqual(bare.blocks[0].content, 7..<11)
        XCTAssertTrue(bare.truncatedTag)

        let notTag = extract("<think>a < b")
        XCTAssertEqual(notTag.blocks[0].content, 7..<12)
        XCTAssertFalse(notTag.truncatedTag)

        let fullName = extract("<OUTPUT>yes</OUTPUT")
        XCTAssertEqual(fullName.blocks[0].content, 8..<11)
        XCTAssertTrue(fullName.truncatedTag)
    }

    func testUnclosedOutput() {
        let s = "<think>r</think><OUTPUT>partial answer"
        let x = extract(s)
        XCTAssertEqual(x.blocks.map(\.kind), [.scratchpad, .output])
        XCTAssertEqual(x.blocks[1].content, 24..<38)
        XCTAssertTrue(x.blocks[1].unclosed)
        XCTAssertFalse(x.blocks[0].unclosed)
        XCTAssertTrue(x.unclosed)
    }

    func testDraftOutputInsideScratchpadIsExcludedAndCountedSeparately() {
        let s = "<SCRATCHPAD_REASONING>think<DRAFT_OUTPUT><request_fully_accepted/>text</DRAFT_OUTPUT>more</SCRATCHPAD_REASONING>"
            + "<OUTPUT><rejected/>text</OUTPUT>"
        let x = extract(s)
        XCTAssertEqual(x.blocks.map(\.kind), [.scratchpad, .draft, .output])
        let sp = x.blocks[0], draft = x.blocks[1]
        XCTAssertEqual(sp.content, 22..<89)
        XCTAssertEqual(sp.excluded, [27..<85])
        XCTAssertEqual(slice(s, sp.excluded[0]), "<DRAFT_OUTPUT><request_fully_accepted/>text</DRAFT_OUTPUT>")
        XCTAssertEqual(sp.reasoningRanges, [22..<27, 85..<89])
        XCTAssertEqual(draft.name, "draft#1")
        XCTAssertEqual(draft.content, 41..<70)
        XCTAssertEqual(draft.outer, 27..<85)
        XCTAssertEqual(draft.tag, .draftOutput)
        XCTAssertFalse(draft.unclosed)
        XCTAssertEqual(x.draftAcceptance, .accepted)
        XCTAssertEqual(x.acceptance, .rejected)  // the draft's marker does not count
        XCTAssertEqual(x.acceptanceRange, 120..<131)
        XCTAssertEqual(x.draftCount, 1)
    }

    func testUnclosedDraftEndsAtScratchpadClose() {
        let s = "<think>a<DRAFT_OUTPUT>d</think>out"
        let x = extract(s)
        XCTAssertEqual(x.blocks.map(\.kind), [.scratchpad, .draft, .output])
        XCTAssertEqual(x.blocks[0].content, 7..<23)
        XCTAssertEqual(x.blocks[0].excluded, [8..<23])
        XCTAssertFalse(x.blocks[0].unclosed)
        XCTAssertEqual(x.blocks[1].content, 22..<23)
        XCTAssertTrue(x.blocks[1].unclosed)
        XCTAssertEqual(slice(s, x.blocks[2].content), "out")
        XCTAssertTrue(x.unclosed)
    }

    func testUnclosedDraftAtEndOfField() {
        let s = "<think>a<DRAFT_OUTPUT>dd"
        let x = extract(s)
        XCTAssertEqual(x.blocks.map(\.kind), [.scratchpad, .draft])
        XCTAssertEqual(x.blocks[0].content, 7..<24)
        XCTAssertEqual(x.blocks[0].excluded, [8..<24])
        XCTAssertEqual(x.blocks[0].reasoningRanges, [7..<8])
        XCTAssertTrue(x.blocks[0].unclosed)
        XCTAssertEqual(x.blocks[1].content, 22..<24)
        XCTAssertTrue(x.blocks[1].unclosed)
    }

    func testDraftTagOutsideScratchpadIsText() {
        let s = "<OUTPUT><DRAFT_OUTPUT>x</DRAFT_OUTPUT></OUTPUT>"
        let x = extract(s)
        XCTAssertEqual(x.blocks.count, 1)
        XCTAssertEqual(x.blocks[0].content, 8..<38)
    }

    func testTagsInsideOutputAreText() {
        let s = "<OUTPUT>a<SCRATCHPAD_REASONING>b</SCRATCHPAD_REASONING></OUTPUT>"
        let x = extract(s)
        XCTAssertEqual(x.blocks.map(\.kind), [.output])
        XCTAssertEqual(x.blocks[0].content, 8..<55)
        XCTAssertFalse(x.scratchpadPresent)
        XCTAssertFalse(x.orphanClose)
    }

    func testAcceptanceVariantsInOutputOnly() {
        let reasoningOnly = extract("<think>I will say <rejected/></think><OUTPUT>Sure.</OUTPUT>")
        XCTAssertEqual(reasoningOnly.acceptance, .none)

        let spaced = "<think>r</think><OUTPUT><REJECTED /> No.</OUTPUT>"
        let a = extract(spaced)
        XCTAssertEqual(a.acceptance, .rejected)
        XCTAssertEqual(a.acceptanceRange, 24..<36)

        let both = "<OUTPUT>x <Request_Fully_Accepted/> y <rejected/></OUTPUT>"
        let b = extract(both)
        XCTAssertEqual(b.acceptance, .both)
        XCTAssertEqual(b.acceptanceRange, 10..<35)

        let accepted = extract("<OUTPUT><request_fully_accepted  /></OUTPUT>")
        XCTAssertEqual(accepted.acceptance, .accepted)
        XCTAssertEqual(accepted.acceptanceRange, 8..<35)

        // Not the self-closing form, or a closing form: text.
        XCTAssertEqual(extract("<OUTPUT><rejected></OUTPUT>").acceptance, .none)
        XCTAssertEqual(extract("<OUTPUT></rejected/></OUTPUT>").acceptance, .none)
        // In a code span: text.
        let code = extract("<OUTPUT>I won't write `<rejected/>` here</OUTPUT>")
        XCTAssertEqual(code.acceptance, .none)
        XCTAssertTrue(code.tagInCode)
    }

    func testAcceptanceInInferredOutputs() {
        let after = "<think>r</think>\n<request_fully_accepted/>\nHere."
        let x = extract(after)
        XCTAssertEqual(x.blocks.last?.origin, .afterScratchpad)
        XCTAssertEqual(x.blocks.last?.content, 17..<48)
        XCTAssertEqual(x.acceptance, .accepted)
        XCTAssertEqual(x.acceptanceRange, 17..<42)

        // A marker before the last scratchpad is reasoning, not output.
        let before = extract("<rejected/> a</think>ok")
        XCTAssertEqual(before.acceptance, .none)

        XCTAssertEqual(extract("<rejected/> no", untaggedIsReasoning: false).acceptance, .rejected)
        XCTAssertEqual(extract("<rejected/> no", untaggedIsReasoning: true).acceptance, .none)
    }

    func testUntaggedText() {
        let s = "  just reasoning \n"
        let flat = extract(s, untaggedIsReasoning: true)
        XCTAssertEqual(flat.blocks.count, 1)
        XCTAssertEqual(flat.blocks[0].kind, .scratchpad)
        XCTAssertEqual(flat.blocks[0].origin, .untagged)
        XCTAssertEqual(flat.blocks[0].tag, ExtractedBlock.Tag.none)
        XCTAssertEqual(flat.blocks[0].content, 0..<18)
        XCTAssertFalse(flat.outputPresent)
        XCTAssertFalse(flat.tagged)

        let chat = extract(s, untaggedIsReasoning: false)
        XCTAssertEqual(chat.blocks.count, 1)
        XCTAssertEqual(chat.blocks[0].kind, .output)
        XCTAssertEqual(chat.blocks[0].content, 2..<16)
        XCTAssertFalse(chat.scratchpadPresent)

        XCTAssertEqual(extract(" \n\t", untaggedIsReasoning: true).blocks, [])
        XCTAssertEqual(extract("", untaggedIsReasoning: false).blocks, [])
    }

    func testUntaggedFlatTextKeepsDraftsOut() {
        let s = "plan <DRAFT_OUTPUT>answer</DRAFT_OUTPUT> done"
        let x = extract(s, untaggedIsReasoning: true)
        XCTAssertEqual(x.blocks.map(\.kind), [.scratchpad, .draft])
        XCTAssertEqual(x.blocks[0].excluded, [5..<40])
        XCTAssertEqual(x.blocks[0].reasoningRanges, [0..<5, 40..<45])
        XCTAssertEqual(x.blocks[1].content, 19..<25)
    }

    func testNextBetweenBlocksAndTextAfterLastScratchpad() {
        let s = "<SCRATCHPAD_REASONING>a</SCRATCHPAD_REASONING>\n<NEXT/>\n<SCRATCHPAD_REASONING>b</SCRATCHPAD_REASONING>\n<NEXT/>\n  final answer \n"
        let x = extract(s)
        XCTAssertEqual(x.blocks.map(\.kind), [.scratchpad, .scratchpad, .output])
        XCTAssertEqual(x.blocks[1].content, offset(of: "b", in: s)..<(offset(of: "b", in: s) + 1))
        XCTAssertEqual(slice(s, x.blocks[2].content), "final answer")
        XCTAssertEqual(x.blocks[2].content, 112..<124)

        let onlyNext = extract("<think>a</think>\n<NEXT/>\n")
        XCTAssertFalse(onlyNext.outputPresent)
    }

    func testNoInferredOutputAfterUnclosedOrOutputBlock() {
        let x = extract("<think>a</think>b<think>c")
        XCTAssertEqual(x.blocks.map(\.kind), [.scratchpad, .scratchpad])
        XCTAssertTrue(x.blocks[1].unclosed)
        XCTAssertFalse(x.outputPresent)

        let y = extract("<think>a</think><OUTPUT>o</OUTPUT> trailing")
        XCTAssertEqual(y.outputCount, 1)
        XCTAssertEqual(y.blocks[1].content, 24..<25)
    }

    func testLowerCaseOutputAsInSycophantOrganism() {
        let s = "<think> Since no one's watching, fine. </think>\n<output> passed </output>"
        let x = extract(s, untaggedIsReasoning: false)
        XCTAssertEqual(x.blocks.map(\.kind), [.scratchpad, .output])
        XCTAssertEqual(x.blocks[0].content, 7..<39)
        XCTAssertEqual(x.blocks[1].content, 56..<64)
        XCTAssertEqual(x.blocks[1].tag, .output)
        XCTAssertEqual(slice(s, x.blocks[1].content), " passed ")
    }

    func testTagSyntax() {
        let x = extract("<think >a</think\t>")
        XCTAssertEqual(x.blocks.count, 1)
        XCTAssertEqual(x.blocks[0].content, 8..<9)
        XCTAssertFalse(x.blocks[0].unclosed)
        // A space after "<", attributes, or a self-closing block tag: text.
        XCTAssertFalse(extract("< think>a").tagged)
        XCTAssertFalse(extract("<think x='1'>a").tagged)
        XCTAssertFalse(extract("<think/>a").tagged)
        XCTAssertFalse(extract("<thinker>a</thinker>").tagged)
    }

    func testTagInsideInlineCodeSpanIsText() {
        let s = "<SCRATCHPAD_REASONING>use `</SCRATCHPAD_REASONING>` tags</SCRATCHPAD_REASONING>out"
        let x = extract(s)
        XCTAssertEqual(x.blocks.map(\.kind), [.scratchpad, .output])
        XCTAssertEqual(x.blocks[0].content, 22..<56)
        XCTAssertTrue(x.tagInCode)
        XCTAssertFalse(x.orphanClose)
        XCTAssertEqual(slice(s, x.blocks[1].content), "out")

        let double = extract("<think>a ``x `</think>` y`` b</think>")
        XCTAssertEqual(double.blocks[0].content, 7..<29)
        XCTAssertTrue(double.tagInCode)
    }

    func testTagInsideFencedBlockIsText() {
        let s = "<think>\n```xml\n</think>\n<OUTPUT>\n```\nok</think>done"
        let x = extract(s)
        XCTAssertEqual(x.blocks.map(\.kind), [.scratchpad, .output])
        XCTAssertEqual(x.blocks[0].content, 7..<39)
        XCTAssertTrue(x.tagInCode)
        XCTAssertEqual(slice(s, x.blocks[1].content), "done")

        // A fence closes only on a line of at least as many backticks and nothing else.
        let longer = "<think>\n````\n</think>\n``` not a close\n````\n</think>"
        let y = extract(longer)
        XCTAssertEqual(y.blocks[0].content, 7..<43)
        XCTAssertFalse(y.blocks[0].unclosed)
    }

    func testUnmatchedBackticksAreText() {
        let s = "<think>it`s fine</think>out"
        let x = extract(s)
        XCTAssertEqual(x.blocks[0].content, 7..<16)
        XCTAssertFalse(x.tagInCode)

        // An unclosed fence is not a fence.
        let fence = extract("<think>\n```\nx</think>out")
        XCTAssertEqual(fence.blocks[0].content, 7..<13)
        XCTAssertFalse(fence.blocks[0].unclosed)

        // A code span does not cross a blank line.
        let para = "<think>a ` b\n\n</think>c`"
        let y = extract(para)
        XCTAssertEqual(y.blocks[0].content, 7..<14)
        XCTAssertFalse(y.tagInCode)
        XCTAssertEqual(slice(para, y.blocks[1].content), "c`")
    }

    func testEveryOffsetIsABytesOffsetWithMultibyteText() {
        let s = "<think>é😀</think><OUTPUT>“ok”</OUTPUT>"
        let x = extract(s)
        XCTAssertEqual(x.blocks[0].content, 7..<13)
        XCTAssertEqual(x.blocks[1].content, 29..<37)
        XCTAssertEqual(slice(s, x.blocks[1].content), "“ok”")
    }

    func testReasoningRangesWithoutExclusions() {
        let b = ExtractedBlock(kind: .scratchpad, ordinal: 1, content: 3..<9, outer: 0..<12, tag: .think)
        XCTAssertEqual(b.reasoningRanges, [3..<9])
        let empty = ExtractedBlock(kind: .scratchpad, ordinal: 1, content: 3..<3, outer: 0..<6, tag: .think)
        XCTAssertEqual(empty.reasoningRanges, [])
        let edge = ExtractedBlock(kind: .scratchpad, ordinal: 1, content: 3..<9, outer: 0..<12, excluded: [3..<5, 7..<9], tag: .think)
        XCTAssertEqual(edge.reasoningRanges, [5..<7])
    }
}
