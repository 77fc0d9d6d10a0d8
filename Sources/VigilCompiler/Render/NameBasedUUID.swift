import Crypto
import Foundation

/// Name-based UUIDs (RFC 4122 §4.3, version 5): the same name always gives the same GUID, so an
/// Azure resource that must be named by a GUID (a workbook) keeps its name from run to run.
///
/// Stage: render.
enum NameBasedUUID {
    /// The RFC 4122 URL namespace `6ba7b811-9dad-11d1-80b4-00c04fd430c8`.
    static let urlNamespace: [UInt8] = [
        0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
    ]

    /// The version-5 UUID of a name in a namespace: SHA-1 of the namespace's bytes and the name's
    /// UTF-8 bytes, the first 16 bytes with the version (5) and variant (RFC 4122) bits set.
    /// - Parameters:
    ///   - name: The name.
    ///   - namespace: The namespace's 16 bytes (default: the URL namespace).
    /// - Returns: The lowercase `8-4-4-4-12` form.
    static func v5(_ name: String, namespace: [UInt8] = urlNamespace) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: namespace)
        hasher.update(data: Array(name.utf8))
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }
}
