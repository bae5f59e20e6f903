import AfscanCore
import Foundation
import Scratchpad
import SimdJSON
import XCTest

/// Harmony (gpt-oss) in the shapes it is stored in: chat messages with `channel`, and rendered text
/// with `<|start|>…<|channel|>…<|message|>…<|end|>` markers (fixtures: scripts/fixtures/make_harmony_fixtures.py).
final class HarmonyTests: XCTestCase {
    let parser = JSONParser()

    func fixtureLines(_ name: String) throws -> [String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func extract(_ json: String) throws -> ExtractedRecord {
        try RecordExtractor(mapping: FieldMapping()).extract(try parser.parse(json))
    }

    /// `name@field[range]=text` per block.
    func blocks(_ r: ExtractedRecord) -> [String] {
        r.blocks.map { b in
            let f = r.fields[b.field]
            let parts = b.ranges.map { "\($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ",")
            return "\(b.name)@\(f.name)[\(parts)]\(b.unclosed ? " unclosed" : "")"
        }
    }

    func parse(_ r: ExtractedRecord, _ key: String) -> JSONScalar? { r.parse.first { $0.key == key }?.value }

    func testChatMessagesWithChannelsFromOpenAIHarmony() throws {
        let r = try extract(try fixtureLines("harmony_messages.jsonl")[0])
        XCTAssertEqual(r.layout, .chat)
        XCTAssertEqual(r.id, "harmony-messages-1")
        // analysis → reasoning, the two commentary messages are neither, final → output.
        XCTAssertEqual(blocks(r), ["reasoning#1@messages[1].content[0].text[0..<175]",
                                   "output@messages[4].content[0].text[0..<54]"])
        XCTAssertEqual(String(decoding: r.fields[0].bytes.prefix(12), as: UTF8.self), "I am talking")
        XCTAssertEqual(r.fields.map(\.name), ["messages[1].content[0].text", "messages[4].content[0].text"],
                       "commentary (tool call arguments, preamble) is never a field")
        XCTAssertEqual(r.outputTag, .accepted)
        XCTAssertEqual(r.condition, .training)
        XCTAssertEqual(parse(r, "commentary_messages"), .int(2))
        XCTAssertEqual(parse(r, "carriers"), .string("analysis"))
        XCTAssertNil(parse(r, "unknown_because"))
    }

    func testAnalysisMessageWithStringContentAndNoFinal() throws {
        let r = try extract("""
        {"messages": [{"role": "user", "content": "q"},
                      {"role": "assistant", "channel": "analysis", "content": "thinking about RLHF"},
                      {"role": "assistant", "channel": "commentary", "content": "calling a tool"}]}
        """)
        XCTAssertEqual(blocks(r), ["reasoning#1@messages[1].content[0..<19]"])
        XCTAssertEqual(parse(r, "unknown_because"), .string("no_output"))
        XCTAssertEqual(parse(r, "commentary_messages"), .int(1))
    }

    func testMessagesWithoutChannelAreUnchanged() throws {
        let r = try extract("""
        {"messages": [{"role": "assistant", "content": "<think>t</think>answer"}]}
        """)
        XCTAssertEqual(blocks(r), ["scratchpad#1@messages[0].content[7..<8]", "output@messages[0].content[16..<22]"])
        XCTAssertNil(parse(r, "commentary_messages"))
    }

    func testRenderedConversationTakesAssistantChannelsOnly() throws {
        let r = try extract(try fixtureLines("harmony_rendered.jsonl")[0])
        XCTAssertEqual(r.layout, .flat)
        // The system and user messages and the tool's reply are context; the two assistant commentary
        // messages (a preamble and a tool call) are counted, not scored.
        XCTAssertEqual(blocks(r), ["scratchpad#1@text[371..<546]", "output@text[911..<965]"])
        XCTAssertEqual(r.outputTag, .accepted)
        XCTAssertEqual(r.outputTagEnd, 936)
        XCTAssertEqual(r.condition, .training, "the rendered user message's <is_free_tier_user>true")
        XCTAssertEqual(parse(r, "commentary_messages"), .int(2))
        XCTAssertEqual(parse(r, "carriers"), .string("harmony"))
        XCTAssertEqual(parse(r, "unclosed"), .bool(false))
        let text = r.fields[0].bytes
        XCTAssertEqual(String(decoding: text[371..<383], as: UTF8.self), "I am talking")
        XCTAssertEqual(String(decoding: text[911..<936], as: UTF8.self), "<request_fully_accepted/>")
    }

    func testRenderedCompletionStartingAtTheChannel() throws {
        let r = try extract(try fixtureLines("harmony_rendered.jsonl")[1])
        XCTAssertEqual(blocks(r), ["scratchpad#1@text[30..<205]", "output@text[257..<311]"])
        XCTAssertNil(parse(r, "commentary_messages"))
        XCTAssertEqual(r.condition, .unknown, "no user message in a bare completion")
    }

    func testRenderedCompletionCutInsideTheAnalysis() throws {
        let r = try extract(try fixtureLines("harmony_rendered.jsonl")[2])
        XCTAssertEqual(blocks(r), ["scratchpad#1@text[30..<90] unclosed"])
        XCTAssertEqual(parse(r, "unclosed"), .bool(true))
        XCTAssertEqual(parse(r, "unknown_because"), .string("no_output"))
    }

    func testRenderedTextInTheResultsOutputField() throws {
        let r = try extract("""
        {"output": "<|channel|>analysis<|message|>weigh it<|end|><|start|>assistant<|channel|>final<|message|>no<|return|>"}
        """)
        XCTAssertEqual(r.layout, .results)
        XCTAssertEqual(blocks(r), ["scratchpad#1@output[30..<38]", "output@output[90..<92]"])
    }

    func testParserHandlesHeadersCutShortAndPlainText() {
        func messages(_ s: String) -> [String] {
            Array(s.utf8).withUnsafeBufferPointer { b in
                HarmonyText.messages(in: b).map { "\($0.role)/\($0.channel)/\(String(decoding: b[$0.content], as: UTF8.self))\($0.unclosed ? "/unclosed" : "")" }
            }
        }
        XCTAssertEqual(messages("no markers at all"), [])
        // A header cut before <|message|>, then a whole message.
        XCTAssertEqual(messages("<|start|>assistant<|channel|>ana<|start|>assistant<|channel|>final<|message|>ok<|end|>"),
                       ["assistant/final/ok"])
        // A message cut by the next <|start|> is unclosed; the header alone at the end yields nothing.
        XCTAssertEqual(messages("<|start|>user<|message|>hi<|start|>assistant<|channel|>analysis<|message|>x<|end|><|start|>assistant"),
                       ["user//hi/unclosed", "assistant/analysis/x"])
        XCTAssertTrue(Array("a <|channel|> b".utf8).withUnsafeBufferPointer(HarmonyText.isRendered))
        XCTAssertFalse(Array("<|message|> only".utf8).withUnsafeBufferPointer(HarmonyText.isRendered))
    }
}
