/// Content sniffing for zstd (CONTRACT.md "Command line"): a zstd frame starts with `28 B5 2F FD`;
/// a skippable frame (which pzstd writes first) with `5? 2A 4D 18`. File names are never consulted.
public enum ZstdMagic {
    /// True when `prefix` (at least 4 bytes) starts a zstd frame or a skippable frame.
    public static func isZstd(_ prefix: some Collection<UInt8>) -> Bool {
        guard prefix.count >= 4 else { return false }
        let b = Array(prefix.prefix(4))
        if b == [0x28, 0xB5, 0x2F, 0xFD] { return true }
        return (b[0] & 0xF0) == 0x50 && b[1] == 0x2A && b[2] == 0x4D && b[3] == 0x18
    }

    /// True when `bytes` (1 to 3 bytes) are the start of a zstd frame's magic number `28 B5 2F FD`:
    /// a whole input this short is an archive cut inside its magic number.
    public static func isPrefixOfFrameMagic(_ bytes: some Collection<UInt8>) -> Bool {
        let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
        return (1...3).contains(bytes.count) && Array(bytes) == Array(magic.prefix(bytes.count))
    }
}
