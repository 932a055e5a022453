// One contiguous Float allocation with named windows (STYLE D7, llm.c's memory model).
// Parameters, gradients, optimizer moments and activations each live in one arena;
// a `TensorView` is an (offset, shape) pair into it, row-major, last dimension contiguous.

#if canImport(Glibc)
import Glibc
#endif

/// Owns one contiguous, zero-initialized Float allocation; tensors are named windows into it.
public final class FloatArena: @unchecked Sendable {
  /// The whole allocation.
  public let storage: UnsafeMutableBufferPointer<Float>

  /// Allocates `count` floats, all zero. calloc: a large arena comes zeroed from the kernel,
  /// page by page when first touched, so windows a run never uses (a (B, T, V) logits buffer
  /// when only some positions are scored) cost no memory and no zero fill.
  public init(count: Int) {
    guard let raw = calloc(max(count, 1), MemoryLayout<Float>.stride) else {
      fatalError("FloatArena: cannot allocate \(count) floats; use a smaller batch or model")
    }
    let start = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    storage = UnsafeMutableBufferPointer(start: start, count: max(count, 1))
  }

  /// A deep copy of `other`.
  public convenience init(copying other: FloatArena) {
    self.init(count: other.storage.count)
    _ = storage.update(fromContentsOf: other.storage)
  }

  deinit { free(storage.baseAddress) }

  /// Number of floats in the arena.
  public var count: Int { storage.count }

  /// The window `view` as a mutable buffer.
  public subscript(_ view: TensorView) -> UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(rebasing: storage[view.offset..<view.offset + view.count])
  }

  /// The window `view` as a read-only buffer.
  public func read(_ view: TensorView) -> UnsafeBufferPointer<Float> {
    UnsafeBufferPointer(rebasing: storage[view.offset..<view.offset + view.count])
  }

  /// Sets every element to zero.
  public func zero() {
    if let base = storage.baseAddress { zeroFill(base, storage.count) }
  }
}

/// A shaped window into an arena; a value, owns nothing.
public struct TensorView: Sendable, Equatable {
  /// Offset of the first element, in floats.
  public let offset: Int
  /// Row-major shape, last dimension contiguous.
  public let shape: [Int]
  /// Number of elements.
  public var count: Int { shape.reduce(1, *) }
  /// Offset one past the last element.
  public var end: Int { offset + count }

  /// A view at `offset` with `shape`.
  public init(offset: Int, shape: [Int]) {
    self.offset = offset
    self.shape = shape
  }

  /// The `index`-th slice along the first dimension (shape drops its first entry).
  public func slice(_ index: Int) -> TensorView {
    let inner = Array(shape.dropFirst())
    let size = inner.reduce(1, *)
    return TensorView(offset: offset + index * size, shape: inner)
  }
}

/// Hands out consecutive views while a layout is being built.
struct ArenaAllocator {
  private(set) var total = 0

  mutating func take(_ shape: [Int]) -> TensorView {
    let view = TensorView(offset: total, shape: shape)
    total += view.count
    return view
  }
}
