// swift-tools-version:6.0
// Seq2SeqRM: raw preference corpora → tokenizer → token shards → reward models → PPO.
// Layout and data flow: README.md and ../shared/DESIGN.md. No dependencies beyond the toolchain and
// system C libraries (found through pkg-config, installed by `make deps`).
import PackageDescription

// -Ounchecked only for the numeric core, only in release (STYLE.md C2.12): shape checks that must
// survive it use `guard … else { fatalError(…) }`.
let uncheckedInRelease: [SwiftSetting] = [
  .unsafeFlags(["-Ounchecked"], .when(configuration: .release))
]

let package = Package(
  name: "Seq2SeqRM",
  products: [
    .executable(name: "rmprep", targets: ["rmprep"]),
    .executable(name: "rmtrain", targets: ["rmtrain"]),
    .executable(name: "rmppo", targets: ["rmppo"]),
  ],
  targets: [
    // System libraries: one module map each, imported by one Swift module only.
    .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
    .systemLibrary(
      name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

    // Libraries, in data-flow order: Corpus → BPE → TokenShards → Transformer → Training.
    // SHA-256 block function with the x86 SHA extensions (record ids hash every byte ingested).
    .target(name: "CSHA256"),
    .target(name: "Corpus", dependencies: ["CZstd", "CZlib", "CLibXML2", "CSHA256"]),
    .target(name: "BPE", dependencies: ["Corpus"]),
    .target(name: "TokenShards", dependencies: ["Corpus", "BPE"]),
    .target(name: "Transformer", dependencies: ["COpenBLAS"], swiftSettings: uncheckedInRelease),
    .target(name: "Training", dependencies: ["Transformer", "TokenShards", "BPE", "Corpus"]),
    .target(name: "EmbeddedTask", dependencies: ["Corpus"]),
    .target(name: "CLISupport"),

    // Thin executables.
    .executableTarget(
      name: "rmprep",
      dependencies: ["Corpus", "BPE", "TokenShards", "EmbeddedTask", "CLISupport"]),
    .executableTarget(
      name: "rmtrain",
      dependencies: ["Training", "Transformer", "TokenShards", "BPE", "Corpus", "CLISupport"]),
    .executableTarget(
      name: "rmppo",
      dependencies: [
        "Training", "Transformer", "TokenShards", "BPE", "Corpus", "EmbeddedTask", "CLISupport",
      ]),
    // Engine benchmark and reference driver (Benchmarks/engine, scripts/*.d/engine-*.sh).
    .executableTarget(
      name: "enginebench", dependencies: ["Transformer", "CLISupport"],
      path: "Benchmarks/engine/enginebench"),

    // Tests mirror Sources/. Fixtures live at the package root and are found through #filePath.
    .testTarget(name: "CorpusTests", dependencies: ["Corpus"]),
    .testTarget(name: "BPETests", dependencies: ["BPE", "Corpus"]),
    .testTarget(name: "TokenShardsTests", dependencies: ["TokenShards", "BPE", "Corpus"]),
    .testTarget(name: "TransformerTests", dependencies: ["Transformer"]),
    .testTarget(
      name: "TrainingTests",
      dependencies: ["Training", "Transformer", "TokenShards", "BPE", "Corpus"]
    ),
    .testTarget(name: "EmbeddedTaskTests", dependencies: ["EmbeddedTask", "Corpus"]),
    .testTarget(
      name: "CLITests", dependencies: ["CLISupport", "Corpus", "rmprep", "rmtrain", "rmppo"]),
  ]
)
