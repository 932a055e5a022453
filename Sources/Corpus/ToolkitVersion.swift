// The toolkit version, recorded in stats, manifests, plans and run directories and printed by --version.

/// The version of Seq2SeqRM.
public enum ToolkitVersion {
  /// Semantic version string.
  public static let string = "0.1.0"
}
