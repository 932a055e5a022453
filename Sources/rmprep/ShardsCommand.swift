// `rmprep shards`: placeholder until its stage lands (owned by the engineer of that stage).

import CLISupport

/// Runs `rmprep shards`.
func runShards(_ arguments: [String]) throws {
  throw UsageError("'shards' is not available in this build yet")
}
