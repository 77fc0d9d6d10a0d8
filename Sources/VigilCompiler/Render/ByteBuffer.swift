#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The growable byte buffer the canonical writers append to: one `malloc`'d block, no
/// uniqueness or exclusivity checks per byte, handed to `Data` without a copy when done.
/// Noncopyable, so it has exactly one owner and frees its block once.
///
/// Stage: render.
struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    /// An empty buffer with room for `capacity` bytes.
    init(capacity: Int = 16 * 1024) {
        self.capacity = max(capacity, 16)
        guard let memory = malloc(self.capacity) else { fatalError("out of memory") }
        base = memory.assumingMemoryBound(to: UInt8.self)
    }

    deinit { free(base) }

    /// Room for `extra` more bytes (doubling, so appends stay amortised constant time).
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var next = capacity * 2
        while next < needed { next *= 2 }
        guard let memory = realloc(base, next) else { fatalError("out of memory") }
        base = memory.assumingMemoryBound(to: UInt8.self)
        capacity = next
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// The UTF-8 of a string, as it is.
    mutating func append(utf8 string: String) {
        CanonicalBytes.withUTF8(string) { append(contentsOf: $0) }
    }

    /// `count` copies of a byte.
    mutating func append(repeating byte: UInt8, count extra: Int) {
        guard extra > 0 else { return }
        reserve(extra)
        memset(base + count, Int32(byte), extra)
        count += extra
    }

    /// Reverses the bytes from `start` to the end.
    mutating func reverse(from start: Int) {
        var low = start, high = count - 1
        while low < high {
            (base[low], base[high]) = (base[high], base[low])
            low += 1
            high -= 1
        }
    }

    /// Forgets every byte, keeping the block.
    mutating func removeAll() { count = 0 }

    /// Calls `body` with the bytes so far.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// The bytes as `Data`, which takes over the block (no copy).
    consuming func data() -> Data {
        let data = Data(bytesNoCopy: base, count: count, deallocator: .free)
        discard self
        return data
    }

    /// The bytes as an array (a copy).
    func array() -> [UInt8] {
        withBytes { Array($0) }
    }
}
