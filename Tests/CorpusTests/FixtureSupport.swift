// Test helpers: locating Fixtures/ and ../shared through #filePath (no bundle), reading files,
// compressing in memory with our own sinks, and running the pipeline over bytes.

import Corpus
import Foundation

/// The package root (two levels above Tests/CorpusTests/).
func packageRoot(filePath: String = #filePath) -> URL {
  URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
}

/// The path of a file under Fixtures/.
func fixture(_ name: String) -> String {
  packageRoot().appendingPathComponent("Fixtures").appendingPathComponent(name).path
}

/// The shared corpora directory (`<root>/../shared/corpora`), or nil when absent (tests then skip).
func sharedCorpus(_ name: String) -> String? {
  let path = packageRoot().deletingLastPathComponent().appendingPathComponent("shared/corpora")
    .appendingPathComponent(name).path
  return FileManager.default.fileExists(atPath: path) ? path : nil
}

/// Calls `body` for every `<row>` of a Posts.xml file (rows that are not well-formed are skipped:
/// recover mode).
func forEachPostsRow(of path: String, _ body: (XMLRow) throws -> Void) throws {
  let bytes = try readBytes(path)
  var offset = 0
  let reader = PostsXMLReader(name: path, recover: true) { buffer in
    let count = min(buffer.count, bytes.count - offset)
    bytes.withUnsafeBytes { source in
      buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + count)]))
    }
    offset += count
    return count
  }
  try reader.forEachRow(body)
}

/// The bytes of a file.
func readBytes(_ path: String) throws -> [UInt8] {
  Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// `bytes` compressed with our gzip sink (one member).
func gzipCompress(_ bytes: [UInt8]) throws -> [UInt8] {
  let memory = MemorySink()
  let sink = try GzipSink(memory, name: "<memory>")
  try sink.write(bytes)
  try sink.finish()
  return memory.bytes
}

/// `bytes` compressed with our zstd sink (one frame).
func zstdCompress(_ bytes: [UInt8]) throws -> [UInt8] {
  let memory = MemorySink()
  let sink = try ZstdSink(memory, name: "<memory>")
  try sink.write(bytes)
  try sink.finish()
  return memory.bytes
}

/// Everything a byte source yields, read with a small buffer so chunk edges are exercised.
func drain(_ source: ByteSource, chunk: Int = 7) throws -> [UInt8] {
  var out: [UInt8] = []
  var buffer = [UInt8](repeating: 0, count: chunk)
  while true {
    let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
    if n == 0 { return out }
    out += buffer[0..<n]
  }
}

/// The result of converting in-memory bytes: output lines, rejects and totals.
struct Conversion {
  var output: [UInt8] = []
  var rejects: [RejectedRecord] = []
  var accounting = Accounting()
}

/// Converts `bytes` (named `name` in sources and errors) with the given format and options.
func convert(
  _ bytes: [UInt8], name: String = "t.jsonl", format: String = "auto",
  options: [String: String] = [:]
) throws -> Conversion {
  var pipelineOptions = PipelineOptions()
  pipelineOptions.format = format
  pipelineOptions.formatOptions = FormatOptions(options)
  let pipeline = try RecordPipeline(options: pipelineOptions)
  var result = Conversion()
  pipeline.onReject = { result.rejects.append($0) }
  try pipeline.run(try InputOpener.open(MemorySource(bytes, name: name))) { record in
    record.appendJSONLine(to: &result.output)
    return .written
  }
  result.accounting = pipeline.accounting
  return result
}

/// Converts a text (UTF-8) as a JSONL input.
func convert(_ text: String, format: String = "auto", options: [String: String] = [:]) throws
  -> Conversion
{
  try convert(Array(text.utf8), format: format, options: options)
}

/// The decoded records of a conversion's output.
func records(_ conversion: Conversion) throws -> [JSONValue] {
  try String(decoding: conversion.output, as: UTF8.self).split(separator: "\n").map {
    try JSONParser.parse(String($0))
  }
}
