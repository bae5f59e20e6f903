/// The afscan version written into summaries and manifests (never into label rows' timing fields).
public enum AfscanVersion {
    public static let string = "0.1.0"
}
