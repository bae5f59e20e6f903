import ArchiveIO
import CSystemZlib
import CZstd
import Foundation
import RecordFraming
import ZIPFoundation

/// An Inspect `.eval` log (a ZIP archive: `header.json`, one `samples/<id>_epoch_<n>.json` member per
/// `EvalSample`, summaries, a journal) read as records: one record per sample member.
///
/// Members are read with ZIPFoundation when stored or deflated (older logs), and with libzstd when
/// zstd-compressed (ZIP method 93, Inspect ≥ 0.3.206; several frames per member are followed). Every
/// member's CRC-32 is checked.
///
/// Each record is the sample's JSON with one member added in front:
/// `"inspect_eval": {"task": …, "model": …, "sample_file": "samples/…json"}` (task and model from
/// `header.json`'s `eval`, else from `_journal/start.json`), so rows can keep and group by them
/// (`RecordExtractor` keeps `inspect_eval` in every row of a chat record that has it).
///
/// Numbering (`FramedRecord`): record number = the member's ordinal among the sample members, in
/// central-directory order (1-based); byte offset = the offset of the member's local header in the
/// `.eval` file (what `unzip -Z -v` prints as "offset of local header"), so a row names a place in the
/// file that tools can find.
///
/// Not thread-safe: one reader thread owns it.
public final class InspectEvalLog {
    public let spec: InputSpec
    /// `eval.task` and `eval.model` of the log's header, when present.
    public let task: String?
    public let model: String?
    /// The sample members, in central-directory order.
    public let sampleNames: [String]

    private let archive: Archive
    private let entries: [Entry]
    private let file: FileHandle

    /// Opens `spec` as an Inspect log when it is a regular file whose first bytes are a ZIP's (`PK 03 04`,
    /// or `PK 05 06` for an empty archive); nil otherwise (standard input and pipes are never read here:
    /// a ZIP cannot be read from a stream, and their first bytes belong to the reader that follows).
    /// - Throws: `ArchiveError` `.open` when the file cannot be opened, `.corrupt` when ZIPFoundation cannot
    ///   read its central directory, `.unsupportedFormat` when the ZIP holds neither `header.json` nor
    ///   `samples/*.json` (not an Inspect log: the message says to unzip it).
    public static func open(_ spec: InputSpec) throws(ArchiveError) -> InspectEvalLog? {
        guard let path = spec.path else { return nil }
        // Only a regular file is looked at: reading the first bytes of a pipe (`<(zstd -dc …)`) would
        // take them from the reader that comes next.
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw ArchiveError(code: .open, message: "cannot open input: \(String(cString: strerror(errno)))", input: spec.displayName)
        }
        let magic = (try? file.read(upToCount: 4)) ?? nil
        guard let magic, magic.count == 4, magic[0] == 0x50, magic[1] == 0x4B,
              (magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6) else {
            try? file.close()
            return nil
        }
        return try InspectEvalLog(spec: spec, path: path, file: file)
    }

    private init(spec: InputSpec, path: String, file: FileHandle) throws(ArchiveError) {
        self.spec = spec
        self.file = file
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw ArchiveError(code: .corrupt, message: "cannot read this ZIP archive's directory (\(error)); is the .eval log complete?",
                               input: spec.displayName)
        }
        let all = Array(archive)
        entries = all.filter { $0.type == .file && $0.path.hasPrefix("samples/") && $0.path.hasSuffix(".json") }
        sampleNames = entries.map(\.path)
        let header = all.first { $0.path == "header.json" } ?? all.first { $0.path == "_journal/start.json" }
        guard header != nil || !entries.isEmpty else {
            throw ArchiveError(code: .unsupportedFormat,
                               message: "cannot read this input: it is a ZIP archive but not an Inspect log (no header.json, no samples/*.json); unzip it and name the JSON/JSONL files inside",
                               input: spec.displayName)
        }
        var task: String?, model: String?
        if let header, let bytes = try? Self.read(header, archive: archive, file: file, limit: 256 << 20),
           let json = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
           let eval = json["eval"] as? [String: Any] {
            task = eval["task"] as? String
            model = eval["model"] as? String
        }
        self.task = task
        self.model = model
    }

    deinit { try? file.close() }

    /// Calls `body` with one batch per sample member, in order, until it returns false. A member that
    /// cannot be read becomes a fault record (`record_too_large` when its uncompressed size exceeds
    /// `maxRecordBytes`, else `unreadable_member` with the reason), never a fault of the whole input.
    /// - Returns: the sample bytes delivered (uncompressed member bytes, before the added `inspect_eval`).
    @discardableResult
    public func forEachSample(maxRecordBytes: Int, _ body: (RecordBatch) -> Bool) -> Int64 {
        var delivered: Int64 = 0
        for (i, entry) in entries.enumerated() {
            let offset = Int64(ZipMemberLocation.localHeaderOffset(of: entry) ?? 0)
            var batch: RecordBatch
            do throws(MemberFault) {
                // The record (sample + inspect_eval) must fit the parser's --max-record-bytes.
                let added = withEvalFields(Array("{}".utf8), sampleFile: entry.path).count - 2 + 1   // and a comma
                guard entry.uncompressedSize + UInt64(added) <= UInt64(maxRecordBytes) else {
                    throw MemberFault(fault: FramingFault(
                        reason: "record_too_large",
                        detail: "\(entry.path): sample of \(entry.uncompressedSize) bytes (\(added) more with inspect_eval) exceeds --max-record-bytes (\(maxRecordBytes))"))
                }
                let bytes = try Self.read(entry, archive: archive, file: file, limit: maxRecordBytes)
                delivered += Int64(bytes.count)
                var storage = withEvalFields(bytes, sampleFile: entry.path)
                let count = storage.count
                storage.append(contentsOf: repeatElement(0, count: RecordBatch.padding))
                batch = RecordBatch(storage: storage, records: [FramedRecord(recordNumber: i + 1, byteOffset: offset, range: 0..<count)])
            } catch {
                batch = RecordBatch(storage: [UInt8](repeating: 0, count: RecordBatch.padding),
                                    records: [FramedRecord(recordNumber: i + 1, byteOffset: offset, range: 0..<0, fault: error.fault)])
            }
            if !body(batch) { break }
        }
        return delivered
    }

    /// The sample's JSON with `"inspect_eval": {…},` inserted after its opening brace (a member that is
    /// not a JSON object is left as it is, and rejected downstream as such).
    func withEvalFields(_ bytes: [UInt8], sampleFile: String) -> [UInt8] {
        var i = 0
        func skipSpace() { while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 } }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return bytes }
        i += 1
        skipSpace()
        let empty = i < bytes.count && bytes[i] == UInt8(ascii: "}")
        var members: [String] = []
        if let task { members.append("\"task\":\(Self.jsonString(task))") }
        if let model { members.append("\"model\":\(Self.jsonString(model))") }
        members.append("\"sample_file\":\(Self.jsonString(sampleFile))")
        var out = Array("{\"inspect_eval\":{\(members.joined(separator: ","))}\(empty ? "" : ",")".utf8)
        out.reserveCapacity(out.count + bytes.count - i)
        out.append(contentsOf: bytes[i...])
        return out
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    // MARK: - Members

    /// Why one member could not be read.
    struct MemberFault: Error {
        var fault: FramingFault
        static func unreadable(_ name: String, _ why: String) -> MemberFault {
            MemberFault(fault: FramingFault(reason: "unreadable_member", detail: "\(name): \(why)"))
        }
    }

    /// The uncompressed bytes of `entry` (at most `limit`), CRC-checked.
    static func read(_ entry: Entry, archive: Archive, file: FileHandle, limit: Int) throws(MemberFault) -> [UInt8] {
        guard entry.uncompressedSize <= UInt64(limit) else {
            throw .unreadable(entry.path, "\(entry.uncompressedSize) bytes exceed the \(limit) bytes this member may have")
        }
        var out: [UInt8] = []
        out.reserveCapacity(Int(entry.uncompressedSize))
        // The member's header can lie: inflating stops at the size it declares (a 1 MB deflate member
        // declaring 100 bytes once inflated to 1 GiB), and the CRC-32 of what came out must be the one
        // it declares (ZIPFoundation computes it but does not compare).
        struct LongerThanDeclared: Error {}
        let declared = Int(entry.uncompressedSize)
        do {
            let crc = try archive.extract(entry, skipCRC32: false) { data in
                guard out.count + data.count <= declared else { throw LongerThanDeclared() }
                out.append(contentsOf: data)
            }
            guard out.count == declared else {
                throw MemberFault.unreadable(entry.path, "it inflates to \(out.count) bytes, its header says \(declared)")
            }
            guard crc == entry.checksum else {
                throw MemberFault.unreadable(entry.path, "CRC-32 mismatch: the data gives \(String(format: "%08x", crc)), the archive says \(String(format: "%08x", entry.checksum)) (a corrupt member)")
            }
            return out
        } catch is LongerThanDeclared {
            throw .unreadable(entry.path, "it inflates to more than the \(declared) bytes its header declares (a corrupt or hostile member)")
        } catch let fault as MemberFault {
            throw fault
        } catch Archive.ArchiveError.invalidCompressionMethod {
            // Not stored or deflate: zstd (method 93) is read here.
        } catch {
            throw .unreadable(entry.path, "ZIPFoundation: \(error)")
        }
        guard let header = ZipMemberLocation.localHeaderOffset(of: entry) else {
            throw .unreadable(entry.path, "the member's local header cannot be located")
        }
        let fixed = readAt(file, offset: header, count: 30)
        guard fixed.count == 30, fixed[0] == 0x50, fixed[1] == 0x4B, fixed[2] == 3, fixed[3] == 4 else {
            throw .unreadable(entry.path, "no local header signature at offset \(header)")
        }
        let method = UInt16(fixed[8]) | UInt16(fixed[9]) << 8
        guard method == 93 else {
            throw .unreadable(entry.path, "compression method \(method) is not stored (0), deflate (8) or zstd (93)")
        }
        let nameLength = UInt64(fixed[26]) | UInt64(fixed[27]) << 8
        let extraLength = UInt64(fixed[28]) | UInt64(fixed[29]) << 8
        let compressed = readAt(file, offset: header + 30 + nameLength + extraLength, count: Int(entry.compressedSize))
        guard compressed.count == Int(entry.compressedSize) else {
            throw .unreadable(entry.path, "the file ends inside the member (\(compressed.count) of \(entry.compressedSize) compressed bytes)")
        }
        out = try zstdDecode(compressed, expected: Int(entry.uncompressedSize), name: entry.path)
        let crc = out.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        guard crc == entry.checksum else {
            throw .unreadable(entry.path, "CRC-32 mismatch (stored \(String(entry.checksum, radix: 16)), computed \(String(crc, radix: 16)))")
        }
        return out
    }

    /// Decodes every zstd frame of `input` (Inspect starts a new frame every 200 MiB of input); fails when
    /// the output would exceed `expected` bytes or the data is corrupt or cut short.
    static func zstdDecode(_ input: [UInt8], expected: Int, name: String) throws(MemberFault) -> [UInt8] {
        guard let dctx = ZSTD_createDCtx() else { throw .unreadable(name, "libzstd could not start (out of memory?)") }
        defer { ZSTD_freeDCtx(dctx) }
        ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, 31)
        var out = [UInt8](repeating: 0, count: expected + 1)
        var last = 0
        var failure: String?
        let produced: Int = input.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                var inb = ZSTD_inBuffer(src: src.baseAddress, size: src.count, pos: 0)
                var outb = ZSTD_outBuffer(dst: dst.baseAddress, size: dst.count, pos: 0)
                while inb.pos < inb.size {
                    let before = (inb.pos, outb.pos)
                    let ret = ZSTD_decompressStream(dctx, &outb, &inb)
                    if ZSTD_isError(ret) != 0 {
                        failure = "zstd: \(String(cString: ZSTD_getErrorName(ret)))"
                        break
                    }
                    last = ret
                    if outb.pos > expected {
                        failure = "decodes to more than its stated \(expected) bytes"
                        break
                    }
                    if (inb.pos, outb.pos) == before { break }
                }
                return outb.pos
            }
        }
        if let failure { throw .unreadable(name, failure) }
        guard last == 0 else { throw .unreadable(name, "zstd: the member ends inside a frame") }
        guard produced == expected else { throw .unreadable(name, "decodes to \(produced) bytes, not its stated \(expected)") }
        out.removeLast(out.count - produced)
        return out
    }

    private static func readAt(_ file: FileHandle, offset: UInt64, count: Int) -> [UInt8] {
        guard (try? file.seek(toOffset: offset)) != nil, let data = try? file.read(upToCount: count) else { return [] }
        return [UInt8](data)
    }
}
