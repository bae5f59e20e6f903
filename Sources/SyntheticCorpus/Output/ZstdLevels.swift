import CZstd

/// The compression levels libzstd accepts (`ZSTD_minCLevel()`, negative = fast modes, up to
/// `ZSTD_maxCLevel()`, 22).
public enum ZstdLevels {
    public static var min: Int32 { ZSTD_minCLevel() }
    public static var max: Int32 { ZSTD_maxCLevel() }
}
