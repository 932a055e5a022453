// Directories.swift — `mkdir -p`: a directory and its missing parents, the one implementation the
// tools share (shard outputs, run directories, command outputs). Each caller wraps the error in
// its own module's type.

#if canImport(Glibc)
import Glibc
#endif

/// Creates `path` and its missing parents (mode 0755); an existing directory is fine.
/// - Throws: `CorpusError.cannotCreate` naming the first directory that could not be made.
public func makeDirectories(_ path: String) throws {
  var prefix = path.hasPrefix("/") ? "/" : ""
  for part in path.split(separator: "/") {
    prefix += part
    if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
      throw CorpusError.cannotCreate(path: prefix, errno: errno)
    }
    prefix += "/"
  }
}

/// Creates the missing parent directories of the file or directory `path`.
/// - Throws: as `makeDirectories(_:)`.
public func makeParentDirectories(of path: String) throws {
  let parents = path.split(separator: "/").dropLast().joined(separator: "/")
  guard !parents.isEmpty else { return }
  try makeDirectories((path.hasPrefix("/") ? "/" : "") + parents)
}
