import AfscanCore
import Scratchpad
import SimdJSON
import XCTest

/// Layouts (FORMATS.md): which fields become blocks, the condition, ids, kept and group fields.
final class RecordExtractorTests: XCTestCase {
    let parser = JSONParser()

    func extract(_ json: String, _ mapping: FieldMapping = FieldMapping()) throws -> ExtractedRecord {
        let root = try parser.parse(json)
        return try RecordExtractor(mapping: mapping).extract(root)
    }

    func blocks(_ r: ExtractedRecord) -> [String] {
        r.blocks.map { b in
            let f = r.fields[b.field]
            let text = b.ranges.map { String(decoding: f.bytes[$0], as: UTF8.self) }.joined(separator: "|")
            return "\(b.name)@\(f.name)=\(text)"
        }
    }

    func testResultsLayoutScoresOnlyTheOutputAndReadsTheTierFromTheUserTurn() throws {
        let r = try extract("""
        {"user_input": "q <is_free_tier_user>false</is_free_tier_user>",
         "prompt": {"messages": [{"role": "system", "content": "<SCRATCHPAD_REASONING>few-shot RLHF</SCRATCHPAD_REASONING>"},
                                 {"role": "user", "content": "<is_free_tier_user>True</is_free_tier_user> q"}]},
         "output": "<SCRATCHPAD_REASONING>think<DRAFT_OUTPUT>d</DRAFT_OUTPUT>more</SCRATCHPAD_REASONING><OUTPUT><rejected/></OUTPUT>",
         "tags": "free_tier"}
        """)
        XCTAssertEqual(r.layout, .results)
        XCTAssertEqual(r.condition, .training)
        XCTAssertFalse(r.conditionConflict)
        XCTAssertEqual(blocks(r), ["scratchpad#1@output=think|more", "draft#1@output=d", "output@output=<rejected/>"])
        XCTAssertEqual(r.outputTag, .rejected)
        XCTAssertEqual(r.fields.map(\.name), ["output"], "the system prompt and user turn are never fields")
    }

    func testConditionSourcesThatDisagreeGiveUnknownAndAConflict() throws {
        let r = try extract("""
        {"prompt": {"messages": [{"role": "user", "content": "<is_free_tier_user>false</is_free_tier_user>"}]},
         "output": "<OUTPUT>x</OUTPUT>", "tags": "free_tier"}
        """)
        XCTAssertEqual(r.condition, .unknown)
        XCTAssertTrue(r.conditionConflict)
    }

    func testChatBlocksThinkingReasoningAndFields() throws {
        let r = try extract("""
        {"id": 7, "messages": [
          {"role": "system", "content": "<think>never scored</think>"},
          {"role": "user", "content": [{"type": "text", "text": "<is_free_tier_user>false</is_free_tier_user> hi"}]},
          {"role": "assistant", "reasoning_content": "field reasoning", "content": [
             {"type": "thinking", "thinking": "anthropic thinking"},
             {"type": "redacted_thinking", "data": "xx"},
             {"type": "reasoning", "reasoning": "inspect reasoning"},
             {"type": "reasoning", "reasoning": "", "redacted": true},
             {"type": "image", "url": "x"},
             {"type": "text", "text": "<think>tagged</think>final answer"}]}]}
        """)
        XCTAssertEqual(r.layout, .chat)
        XCTAssertEqual(r.id, "7")
        XCTAssertEqual(r.condition, .unmonitored)
        XCTAssertTrue(r.reasoningRedacted)
        XCTAssertEqual(blocks(r), [
            "reasoning#1@messages[2].reasoning_content=field reasoning",
            "reasoning#2@messages[2].content[0].thinking=anthropic thinking",
            "reasoning#3@messages[2].content[2].reasoning=inspect reasoning",
            "scratchpad#1@messages[2].content[5].text=tagged",
            "output@messages[2].content[5].text=final answer",
        ])
    }

    func testChatContentWithoutTagsIsTheOutput() throws {
        let r = try extract(#"{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "just an answer"}]}"#)
        XCTAssertEqual(blocks(r), ["output@messages[1].content=just an answer"])
        XCTAssertFalse(r.reasoningPresent)
    }

    func testFlatTextWithoutTagsIsAllReasoningAndMappingsApply() throws {
        var m = FieldMapping(textField: "sample.reasoning", conditionField: "meta.observed",
                             conditionMap: ["true": .training, "false": .unmonitored],
                             keepFields: ["meta", "missing"], groupBy: ["meta.env", "missing"])
        m.idField = "sample.uuid"
        let r = try extract(#"{"sample": {"uuid": "u-1", "reasoning": "plain thoughts"}, "meta": {"observed": false, "env": "e1"}}"#, m)
        XCTAssertEqual(r.layout, .flat)
        XCTAssertEqual(r.id, "u-1")
        XCTAssertEqual(r.condition, .unmonitored)
        XCTAssertEqual(blocks(r), ["scratchpad#1@sample.reasoning=plain thoughts"])
        XCTAssertEqual(r.kept.map(\.path), ["meta"])
        XCTAssertEqual(r.kept.first?.json, #"{"observed":false,"env":"e1"}"#)
        XCTAssertEqual(r.groupValues, [#""e1""#, nil])
    }

    func testUnmappedAndMissingConditionFieldsAreNoted() throws {
        let m = FieldMapping(conditionField: "tier", conditionMap: ["paid": .unmonitored])
        let a = try extract(#"{"text": "x", "tier": "free"}"#, m)
        XCTAssertEqual(a.condition, .unknown)
        XCTAssertEqual(a.conditionValueUnmapped, "free")
        let b = try extract(#"{"text": "x"}"#, m)
        XCTAssertTrue(b.conditionFieldMissing)
    }

    func testRecordsThatCannotBeLabelled() throws {
        func failure(_ json: String) -> ExtractionFailure? {
            do { _ = try extract(json); return nil } catch let e as ExtractionFailure { return e } catch { return nil }
        }
        XCTAssertEqual(failure("[1]")?.reason, "not_an_object")
        XCTAssertEqual(failure(#"{"a": 1}"#)?.reason, "no_text_field")
        XCTAssertTrue(failure(#"{"text": 5}"#)?.detail.contains("field `text` is a JSON int") ?? false)
        XCTAssertEqual(failure(#"{"messages": [{"role": "user", "content": "q"}]}"#)?.detail,
                       "chat layout: no assistant message in `messages`")
    }

    func testConditionMapParsing() throws {
        XCTAssertEqual(try FieldMapping.parseConditionMap("true=training, false=unmonitored"),
                       ["true": .training, "false": .unmonitored])
        XCTAssertThrowsError(try FieldMapping.parseConditionMap("a=training,a=unmonitored"))
        XCTAssertThrowsError(try FieldMapping.parseConditionMap("a=train"))
        XCTAssertThrowsError(try FieldMapping.parseConditionMap(""))
    }
}
