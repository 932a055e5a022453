// `rmprep verify`: every invariant and checksum of a shard directory, each problem named with its
// file. Checks, in order: manifest present and well-formed; every listed file present with the
// recorded size and sha256; every shard file listed, and no unlisted one present; each index valid
// (MegatronIndex.decode) with the manifest's dtype and counts; mask pairs identical in lengths and
// document indices; `.bin` sizes; split totals; ids < vocabulary; mask bytes 0/1; and the layout of
// every sequence for its kind (BOS first, separators where DESIGN.md puts them, no special id
// inside text, mask where it belongs).

import Corpus

/// The result of verifying a directory.
public struct VerificationReport: Sendable {
  /// Problems found; empty means the directory is complete and consistent.
  public var problems: [ShardError] = []
  /// Files whose checksum was verified.
  public var filesChecked = 0
  /// Sequences whose layout was checked.
  public var sequencesChecked = 0
  /// True when nothing is wrong.
  public var isValid: Bool { problems.isEmpty }
}

/// Verifies shard directories.
public enum ShardVerifier {
  /// Verifies `directory` completely (reads every byte, streaming: memory holds one part's index).
  public static func verify(directory: String) -> VerificationReport {
    var report = VerificationReport()
    let manifestPath = directory + "/" + ShardManifest.fileName
    do { try ShardFiles.requireDirectory(directory) } catch let error as ShardError {
      report.problems.append(error)
      return report
    } catch {}
    guard ShardFiles.size(manifestPath) != nil else {
      report.problems.append(.incomplete(directory: directory))
      return report
    }
    let manifest: ShardManifest
    do {
      manifest = try ShardManifest.decode(ShardFiles.read(manifestPath), path: manifestPath)
    } catch let error as ShardError {
      report.problems.append(error)
      return report
    } catch {
      report.problems.append(.invariantViolated(path: manifestPath, detail: "\(error)"))
      return report
    }
    checkFiles(manifest, directory: directory, into: &report)
    let dataset = ShardDataset(unvalidatedDirectory: directory, manifest: manifest)
    for split in Split.allCases {
      guard let summary = manifest.splits[split] else { continue }
      var totals = SplitSummary()
      for part in summary.parts {
        do {
          try checkContents(
            dataset.partReader(part, checksMask: false), part: part, manifest: manifest,
            directory: directory,
            totals: &totals, report: &report)
        } catch let error as ShardError {
          report.problems.append(error)
        } catch {
          report.problems.append(
            .invariantViolated(path: directory + "/" + part.prefix, detail: "\(error)"))
        }
      }
      if totals.documents != summary.documents || totals.sequences != summary.sequences
        || totals.tokens != summary.tokens || totals.labelTokens != summary.labelTokens
      {
        report.problems.append(
          .invariantViolated(
            path: manifestPath,
            detail:
              "splits.\(split.rawValue) says \(summary.documents) documents, \(summary.sequences) "
              + "sequences, \(summary.tokens) tokens, \(summary.labelTokens) label tokens; the shards "
              + "hold \(totals.documents), \(totals.sequences), \(totals.tokens), \(totals.labelTokens)"
          ))
      }
    }
    return report
  }

  private static func checkFiles(
    _ manifest: ShardManifest, directory: String, into report: inout VerificationReport
  ) {
    let listed = Set(manifest.files.map(\.name))
    var needed = [ShardManifest.tokenizerFileName]
    for split in Split.allCases {
      for part in manifest.splits[split]?.parts ?? [] {
        for base in [part.prefix, part.maskPrefix] { needed += [base + ".bin", base + ".idx"] }
      }
    }
    for name in needed where !listed.contains(name) {
      report.problems.append(
        .invariantViolated(
          path: directory + "/" + ShardManifest.fileName, detail: "does not list \(name)"))
    }
    for name in (try? ShardFiles.list(directory)) ?? []
    where ShardFileNames.isShardFile(name) && !listed.contains(name) {
      report.problems.append(
        .invariantViolated(
          path: directory + "/" + name,
          detail: "not listed in manifest.json (left by another run?); re-run rmprep convert"))
    }
    for file in manifest.files {
      let path = directory + "/" + file.name
      let problem = checksumProblem(file, directory: directory)
      if problem != .missingFile(path: path) { report.filesChecked += 1 }
      if let problem { report.problems.append(problem) }
    }
    if let tokenizer = manifest.files.first(where: { $0.name == ShardManifest.tokenizerFileName }),
      tokenizer.sha256 != manifest.tokenizerSHA256
    {
      report.problems.append(
        .tokenizerMismatch(
          expected: manifest.tokenizerSHA256, found: tokenizer.sha256,
          detail: "tokenizer.json's recorded sha256 differs from tokenizer.sha256"))
    }
  }

  /// What is wrong with one listed file (absent, another size, another sha256), or nil; reads the
  /// whole file (SHA-NI when the CPU has it).
  static func checksumProblem(_ file: ShardFile, directory: String) -> ShardError? {
    let path = directory + "/" + file.name
    guard let size = ShardFiles.size(path), let reader = try? SequentialFileReader(path: path)
    else { return .missingFile(path: path) }
    if size != file.bytes {
      return .checksumMismatch(path: path, expected: "\(file.bytes) bytes", found: "\(size) bytes")
    }
    var hasher = SHA256()
    do {
      try reader.forEachChunk { hasher.update($0) }
    } catch let error as ShardError {
      return error
    } catch {
      return .invariantViolated(path: path, detail: "\(error)")
    }
    let digest = hasher.finalize().hex
    return digest == file.sha256
      ? nil : .checksumMismatch(path: path, expected: file.sha256, found: digest)
  }

  private static func checkContents(
    _ reader: ShardPartReader, part: ShardPart, manifest: ShardManifest, directory: String,
    totals: inout SplitSummary, report: inout VerificationReport
  ) throws {
    let index = reader.index
    let path = reader.binPath
    let kind = manifest.targetKind
    for k in 0..<index.documentCount {
      let (start, end) = (Int(index.documentIndices[k]), Int(index.documentIndices[k + 1]))
      let expected = kind == .pairs ? 2 : 1
      if end - start != expected {
        report.problems.append(
          .invariantViolated(
            path: path,
            detail: "document \(k) has \(end - start) sequences, \(kind.rawValue) needs \(expected)"
          ))
      }
      for s in start..<end {
        let sequence = try reader.nextSequence()
        if let problem = layoutProblem(
          sequence.tokens, sequence.mask, kind: kind, specials: manifest.specialIDs)
        {
          report.problems.append(
            .invariantViolated(path: path, detail: "sequence \(s): \(problem)"))
        }
        report.sequencesChecked += 1
        totals.labelTokens += sequence.mask.reduce(0) { $0 + Int($1) }
      }
    }
    totals.documents += index.documentCount
    totals.sequences += index.sequenceLengths.count
    totals.tokens += index.tokenCount
  }

  /// What is wrong with one sequence's layout for `kind`, or nil.
  static func layoutProblem(
    _ ids: [UInt32], _ mask: [UInt8], kind: TargetKind, specials: SpecialIDs
  )
    -> String?
  {
    if mask.contains(where: { $0 > 1 }) { return "mask byte other than 0/1" }
    guard ids.first == specials.bos else { return "does not start with BOS" }
    let special = Set(specials.ordered)
    let positions = ids.indices.filter { special.contains(ids[$0]) }
    let sepResp = positions.filter { ids[$0] == specials.sepResp }
    let sepCorr = positions.filter { ids[$0] == specials.sepCorr }
    let eos = positions.filter { ids[$0] == specials.eos }
    guard sepResp.count == 1 else { return "has \(sepResp.count) SEP_RESP tokens, expected 1" }
    if eos.count > 1 || (eos.count == 1 && eos[0] != ids.count - 1) {
      return "EOS not only at the end"
    }
    if positions.contains(where: { ids[$0] == specials.pad || (ids[$0] == specials.bos && $0 != 0) }
    ) {
      return "PAD or a second BOS inside the sequence"
    }
    switch kind {
    case .seq2seq:
      guard sepCorr.count == 1, sepCorr[0] > sepResp[0] else {
        return "needs one SEP_CORR after SEP_RESP"
      }
      if !mask.indices.allSatisfy({ mask[$0] == ($0 > sepCorr[0] ? 1 : 0) }) {
        return "mask must be 1 exactly after SEP_CORR"
      }
    case .sft:
      guard sepCorr.isEmpty else { return "SEP_CORR in an sft sequence" }
      if !mask.indices.allSatisfy({ mask[$0] == ($0 > sepResp[0] ? 1 : 0) }) {
        return "mask must be 1 exactly after SEP_RESP"
      }
    case .pairs:
      guard sepCorr.isEmpty else { return "SEP_CORR in a pairs sequence" }
      if !mask.indices.allSatisfy({ mask[$0] == ($0 == ids.count - 1 ? 1 : 0) }) {
        return "mask must be 1 only at the last token"
      }
    case .prompts:
      guard sepCorr.isEmpty, eos.isEmpty, sepResp[0] == ids.count - 1 else {
        return "a prompt must end with SEP_RESP and hold no EOS or SEP_CORR"
      }
      if mask.contains(1) { return "prompts carry no labels" }
    }
    return nil
  }
}
