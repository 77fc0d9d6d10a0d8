import Foundation

/// Byte-level string helpers for the hot paths: `String.replacingOccurrences` and
/// `String.contains(_: String)` go through Foundation's `NSString`, which costs more than the
/// work itself on the many short strings a fleet renders.
extension String {
    /// The text with every occurrence of `token` replaced, scanning UTF-8 bytes (exact bytes,
    /// no Unicode equivalence: the tokens Vigil replaces are ASCII).
    /// - Parameters:
    ///   - token: What to replace; must not be empty.
    ///   - replacement: What to put instead.
    /// - Returns: The new text (`self` when the token does not occur).
    func replacingEvery(_ token: String, with replacement: String) -> String {
        let needle = Array(token.utf8)
        precondition(!needle.isEmpty, "an empty token")
        let bytes = Array(utf8)
        guard bytes.count >= needle.count else { return self }
        var out: [UInt8] = []
        var index = 0
        var run = 0
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == needle[0] && bytes[index..<(index + needle.count)].elementsEqual(needle) {
                if out.isEmpty { out.reserveCapacity(bytes.count + 16) }
                out.append(contentsOf: bytes[run..<index])
                out.append(contentsOf: replacement.utf8)
                index += needle.count
                run = index
            } else {
                index += 1
            }
        }
        if run == 0 { return self }
        out.append(contentsOf: bytes[run...])
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the text holds `needle`, byte for byte (no Unicode equivalence).
    func containsBytes(_ needle: String) -> Bool {
        CanonicalBytes.withUTF8(self) { bytes in
            CanonicalBytes.withUTF8(needle) { needle in
                needle.isEmpty || CanonicalBytes.find(needle, in: bytes) != nil
            }
        }
    }

    /// Whether the text holds `${` (a template reference).
    var hasPlaceholder: Bool {
        // `memchr` finds each `$` (vectorised); only those are looked at.
        CanonicalBytes.withUTF8(self) { bytes in
            guard let base = bytes.baseAddress, bytes.count > 1 else { return false }
            var index = 0
            while index < bytes.count - 1 {
                guard let found = memchr(base + index, 0x24, bytes.count - 1 - index) else { return false }
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if bytes[at + 1] == 0x7B { return true }
                index = at + 1
            }
            return false
        }
    }
}
