// Which names belong to a shard directory's Megatron files.

import Testing

@testable import TokenShards

@Suite struct ShardFileNamesTests {
  @Test func recognizesEveryShardName() {
    for name in [
      "train.bin", "train.idx", "val_mask.bin", "val_mask.idx", "train-00000.bin",
      "val-00012_mask.idx",
    ] {
      #expect(ShardFileNames.isShardFile(name), "\(name)")
    }
  }

  @Test func rejectsEverythingElse() {
    for name in [
      "manifest.json", "tokenizer.json", "train.bin.tmp.12", "train-0001.bin", "train-000001.bin",
      "train_mask_mask.bin", "trains.bin", "notes.txt", "val-00000_mask.npy", ".spool.abc123",
    ] {
      #expect(!ShardFileNames.isShardFile(name), "\(name)")
    }
  }
}
