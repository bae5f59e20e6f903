import ZIPFoundation

/// Where a ZIP member's local header is: the one fact ZIPFoundation 0.9.20 keeps internal
/// (`Entry.dataOffset`) that a reader of members it cannot decode needs. Inspect writes its `.eval` members
/// with zstd (ZIP method 93) since 0.3.206, and ZIPFoundation reads only stored and deflate members.
///
/// The offset is read from the entry's central-directory record by reflection (`Mirror`) over the
/// stored properties of ZIPFoundation 0.9.20 (`Package.swift` pins that exact version):
/// `centralDirectoryStructure.relativeOffsetOfLocalHeader`, or, when it is 0xFFFFFFFF, the ZIP64
/// extended information's 64-bit field. If a future version renames them this returns nil, and the member
/// is reported as unreadable (never read from a wrong place: the local header's signature is checked).
enum ZipMemberLocation {
    static func localHeaderOffset(of entry: Entry) -> UInt64? {
        guard let cds = Mirror(reflecting: entry).descendant("centralDirectoryStructure"),
              let offset32 = Mirror(reflecting: cds).descendant("relativeOffsetOfLocalHeader") as? UInt32 else { return nil }
        if offset32 != UInt32.max { return UInt64(offset32) }
        guard let fields = Mirror(reflecting: cds).descendant("extraFields", "some") as? [Any] else { return nil }
        for field in fields {
            if let wide = Mirror(reflecting: field).descendant("relativeOffsetOfLocalHeader") as? UInt64, wide != 0 {
                return wide
            }
        }
        return nil
    }
}
