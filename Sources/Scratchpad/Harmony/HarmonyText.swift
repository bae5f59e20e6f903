/// The Harmony format of OpenAI's gpt-oss models, rendered as text:
/// `<|start|>ROLE<|channel|>CHANNEL<|message|>CONTENT<|end|>` (a turn that ends the sample closes with
/// `<|return|>`, a tool call with `<|call|>`; a recipient and a content type may precede `<|message|>`:
/// `<|start|>assistant<|channel|>commentary to=functions.f <|constrain|>json<|message|>{…}<|call|>`).
///
/// Channels: `analysis` is the hidden chain of thought (the scratchpad), `final` the user-visible answer
/// (the output), `commentary` tool calls and user-visible preambles (neither: kept apart, not scored).
/// A completion that starts after the prompt's `<|start|>assistant` begins with `<|channel|>…`; its role
/// is then taken as assistant.
public enum HarmonyText {
    /// One message of a rendered Harmony conversation. Ranges are half-open byte ranges into the UTF-8
    /// text that was parsed.
    public struct Message: Sendable, Hashable {
        /// `assistant`, `user`, `system`, `developer`, or a tool's name (`functions.get_weather`);
        /// `assistant` when the text starts inside an assistant turn (no `<|start|>` before its header).
        public var role: String
        /// `analysis`, `final`, `commentary`, …; empty when the header names no channel.
        public var channel: String
        /// The message's content, between `<|message|>` and the token that ends it.
        public var content: Range<Int>
        /// No `<|end|>`, `<|return|>` or `<|call|>` closed the message before the next `<|start|>` or the
        /// end of the text (a completion cut short).
        public var unclosed: Bool
    }

    static let channelMarker = Array("<|channel|>".utf8)
    private static let start = Array("<|start|>".utf8)
    private static let message = Array("<|message|>".utf8)
    private static let enders = [Array("<|end|>".utf8), Array("<|return|>".utf8), Array("<|call|>".utf8)]

    /// True when `text` holds a Harmony channel marker (`<|channel|>`): the test a caller makes before
    /// `messages(in:)`, only on fields that carry no scratchpad tags.
    public static func isRendered(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        find(channelMarker, in: text, from: 0, to: text.count) != nil
    }

    /// The messages of `text` in order. Text outside any message (before the first header, between an
    /// end token and the next `<|start|>`) belongs to no message. A header without `<|message|>` (cut
    /// short) yields nothing.
    public static func messages(in text: UnsafeBufferPointer<UInt8>) -> [Message] {
        var out: [Message] = []
        var i = 0
        let n = text.count
        while i < n {
            // The next header: `<|start|>` or, for a completion's first turn, `<|channel|>`.
            let s = find(start, in: text, from: i, to: n)
            let c = find(channelMarker, in: text, from: i, to: n)
            let headerStart: Int
            var role = "assistant"
            var roleEnd: Int
            if let s, c == nil || s <= c! {
                headerStart = s
                roleEnd = s + start.count
                while roleEnd < n, text[roleEnd] != UInt8(ascii: " "), !isTokenStart(text, roleEnd) { roleEnd += 1 }
                role = String(decoding: UnsafeBufferPointer(rebasing: text[(s + start.count)..<roleEnd]), as: UTF8.self)
            } else if let c {
                headerStart = c
                roleEnd = c
            } else {
                break
            }
            guard let m = find(message, in: text, from: roleEnd, to: n) else { break }
            // Another header before `<|message|>`: this one was cut short; resume there.
            if let next = find(start, in: text, from: headerStart + 1, to: m) {
                i = next
                continue
            }
            var channel = ""
            if let ch = find(channelMarker, in: text, from: roleEnd, to: m) {
                var e = ch + channelMarker.count
                while e < m, text[e] != UInt8(ascii: " "), !isTokenStart(text, e) { e += 1 }
                channel = String(decoding: UnsafeBufferPointer(rebasing: text[(ch + channelMarker.count)..<e]), as: UTF8.self)
            }
            let contentStart = m + message.count
            var contentEnd = n
            var after = n
            var unclosed = true
            for ender in enders {
                if let e = find(ender, in: text, from: contentStart, to: contentEnd) {
                    contentEnd = e
                    after = e + ender.count
                    unclosed = false
                }
            }
            if let s2 = find(start, in: text, from: contentStart, to: contentEnd) {
                contentEnd = s2
                after = s2
                unclosed = true
            }
            out.append(Message(role: role, channel: channel, content: contentStart..<contentEnd, unclosed: unclosed))
            i = after
        }
        return out
    }

    private static func isTokenStart(_ text: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i + 1 < text.count && text[i] == UInt8(ascii: "<") && text[i + 1] == UInt8(ascii: "|")
    }

    /// The first offset in `lo..<hi` where `needle` starts and ends before `hi`.
    private static func find(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, from lo: Int, to hi: Int) -> Int? {
        guard hi - lo >= needle.count, let base = text.baseAddress else { return nil }
        let first = needle[0]
        var i = lo
        let last = hi - needle.count
        while i <= last {
            if base[i] == first {
                var k = 1
                while k < needle.count && base[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
