import Foundation

/// The byte-level pieces both canonical writers share: key order by UTF-8 bytes without
/// per-comparison iterators, indentation, and runs of bytes copied in bulk.
///
/// Stage: render.
enum CanonicalBytes {
    /// Whether `a` sorts before `b` by UTF-8 bytes (the canonical key order). Native strings are
    /// compared byte by byte over their contiguous UTF-8; others fall back to the UTF-8 views.
    @inline(__always)
    static func precedes(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { left in
            b.utf8.withContiguousStorageIfAvailable { right -> Bool in
                // Keys are short: a byte loop beats a call to `memcmp`.
                let common = min(left.count, right.count)
                var index = 0
                while index < common {
                    let a = left[index], b = right[index]
                    if a != b { return a < b }
                    index += 1
                }
                return left.count < right.count
            }
        }
        if let result = fast ?? nil { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Appends `count` spaces.
    @inline(__always)
    static func pad(_ count: Int, _ out: inout ByteBuffer) {
        out.append(repeating: 0x20, count: count)
    }

    /// Appends the UTF-8 of `s` with some bytes escaped, copying the runs between them in bulk.
    /// Both writers' string escaping is this scan with their own rules.
    /// - Parameters:
    ///   - s: The text.
    ///   - out: The buffer.
    ///   - isPlain: Whether a byte is copied as it is without asking `escape`; it must hold for
    ///     printable ASCII other than `"` and `\` (those are copied eight at a time unasked).
    ///   - escape: Given the bytes and the index of a byte that is not plain, appends its escape
    ///     and returns how many bytes it consumed, or returns 0 (appending nothing) to copy the
    ///     byte as it is (the first byte of a multi-byte character that needs no escape).
    @inline(__always)
    static func appendEscaped(
        _ s: String, to out: inout ByteBuffer, isPlain: (UInt8) -> Bool,
        escape: (UnsafeBufferPointer<UInt8>, Int, inout ByteBuffer) -> Int
    ) {
        withUTF8(s) { bytes in
            var run = 0
            var index = 0
            while index < bytes.count {
                // Eight bytes at a time while they are printable ASCII other than `"` and `\`,
                // which both writers copy as they are.
                if index + 8 <= bytes.count,
                    isPlainASCII(UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
                {
                    index += 8
                    continue
                }
                if isPlain(bytes[index]) {
                    index += 1
                    continue
                }
                if index > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index])) }
                run = index
                let consumed = escape(bytes, index, &out)
                if consumed == 0 {
                    index += 1
                } else {
                    index += consumed
                    run = index
                }
            }
            if bytes.count > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<bytes.count])) }
        }
    }

    /// Whether all eight bytes of a word are printable ASCII (0x20–0x7E) other than `"` (0x22)
    /// and `\` (0x5C). Exact, with the usual word tricks: a byte below 0x20 or equal to a value
    /// sets its high bit after a per-byte subtraction.
    @inline(__always)
    static func isPlainASCII(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ v: UInt64) -> Bool { (v &- ones) & ~v & high != 0 }
        if word & high != 0 { return false }  // a byte of 0x80 or more
        if (word &- 0x20 &* ones) & ~word & high != 0 { return false }  // a byte below 0x20
        if (word &+ ones) & high != 0 { return false }  // 0x7F (no byte is 0x80 or more, so no carry)
        return !hasZeroByte(word ^ (0x22 &* ones)) && !hasZeroByte(word ^ (0x5C &* ones))
    }

    /// Whether `needle` occurs in `bytes` at `offset`.
    static func matches(_ needle: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard offset >= 0, offset + needle.count <= bytes.count else { return false }
        return needle.isEmpty || memcmp(bytes.baseAddress! + offset, needle.baseAddress!, needle.count) == 0
    }

    /// The offset of the first `needle` in `bytes` at or after `from`, or nil (also for an empty
    /// needle): `memchr` finds each candidate first byte, `memcmp` checks the rest.
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var position = from
        let last = bytes.count - needle.count
        while position <= last {
            guard let hit = memchr(bytes.baseAddress! + position, Int32(first), last - position + 1) else { return nil }
            let offset = bytes.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if matches(needle, in: bytes, at: offset) { return offset }
            position = offset + 1
        }
        return nil
    }

    /// Calls `body` with the string's UTF-8 bytes, contiguous (copied only for a bridged string).
    @inline(__always)
    static func withUTF8<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = string
        return copy.withUTF8(body)
    }

    /// Appends an integer in decimal.
    static func append(_ value: Int, to out: inout ByteBuffer) {
        if value >= 0 && value < 10 {
            out.append(0x30 + UInt8(value))
            return
        }
        if value < 0 { out.append(0x2D) }
        appendDigits(UInt64(value.magnitude), to: &out)
    }

    /// Appends the decimal digits of a number, written in place (no buffer of its own).
    @inline(__always)
    static func appendDigits(_ value: UInt64, to out: inout ByteBuffer) {
        let start = out.count
        var magnitude = value
        repeat {
            out.append(0x30 + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out.reverse(from: start)
    }
}

/// Sorts keys the canonical way: by UTF-8 bytes.
func canonicalKeyOrder(_ keys: some Sequence<String>) -> [String] {
    keys.sorted(by: CanonicalBytes.precedes)
}
