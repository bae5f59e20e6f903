import AfscanCore
import Foundation

/// Escaping for the report page. Every piece of row- or transcript-derived text reaches the page through
/// one of these: as HTML text or attribute value (`escape`), or inside the page's JSON data block
/// (`scriptJSON`), which the page's script only ever puts into the DOM as text (`textContent`).
public enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` as character references: safe as element content and as a
    /// quoted attribute value.
    public static func escape(_ text: String) -> String {
        replacing(text, ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"])
    }

    /// `object` as JSON text safe inside `<script type="application/json">`: `<`, `>` and `&` written as
    /// `\u003c`, `\u003e`, `\u0026` (so no `</script>` or `<!--` can end or alter the element) and U+2028 /
    /// U+2029 escaped. These characters only occur inside JSON strings, so the escapes read back as the same
    /// strings.
    /// - Throws: `JSONSerialization`'s error when `object` is not a JSON object tree.
    public static func scriptJSON(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return replacing(String(decoding: data, as: UTF8.self),
                         ["<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u{2028}": "\\u2028", "\u{2029}": "\\u2029"])
    }

    /// `text` with each scalar that is a key of `table` replaced by its value.
    static func replacing(_ text: String, _ table: [Unicode.Scalar: String]) -> String {
        var out = String.UnicodeScalarView()
        for ch in text.unicodeScalars {
            if let r = table[ch] { out.append(contentsOf: r.unicodeScalars) } else { out.append(ch) }
        }
        return String(out)
    }

    /// The Content-Security-Policy source of an inline script or style: `'sha256-BASE64'` of its UTF-8 text.
    public static func cspHash(_ text: String) -> String {
        "'sha256-" + Data(SHA256.digest(Array(text.utf8))).base64EncodedString() + "'"
    }
}
