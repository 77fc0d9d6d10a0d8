public import Foundation

/// Writes a ``CanonicalValue`` as JSON: keys sorted by UTF-8 bytes, 2-space indent, `\n` line
/// endings, one trailing newline, `/` not escaped, non-ASCII written as UTF-8.
///
/// Stage: render. One of the two writers that produce every byte of output. It appends UTF-8
/// bytes to one buffer: no intermediate strings or Foundation JSON objects.
public struct CanonicalJSONWriter: Sendable {
    /// Creates a writer.
    public init() {}

    /// The JSON bytes of a value.
    /// - Parameter value: The value.
    /// - Returns: UTF-8 bytes ending in one newline.
    public func write(_ value: CanonicalValue) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(16 * 1024)
        append(value, indent: 0, to: &out)
        out.append(0x0A)
        return Data(out)
    }

    /// The compact JSON text of a value, one line, keys sorted (for values embedded in strings).
    /// - Parameter value: The value.
    /// - Returns: The text.
    public func compact(_ value: CanonicalValue) -> String {
        var out: [UInt8] = []
        appendCompact(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let spaces = [UInt8](repeating: 0x20, count: 256)

    private func pad(_ count: Int, _ out: inout [UInt8]) {
        var remaining = count
        while remaining > 0 {
            let n = min(remaining, Self.spaces.count)
            out.append(contentsOf: Self.spaces[0..<n])
            remaining -= n
        }
    }

    private func append(_ value: CanonicalValue, indent: Int, to out: inout [UInt8]) {
        switch value {
        case .object(let fields):
            if fields.isEmpty {
                out.append(contentsOf: [0x7B, 0x7D])
                return
            }
            out.append(contentsOf: [0x7B, 0x0A])
            let keys = canonicalKeyOrder(fields.keys)
            for (index, key) in keys.enumerated() {
                pad(indent + 2, &out)
                Self.appendString(key, to: &out)
                out.append(contentsOf: [0x3A, 0x20])
                append(fields[key]!, indent: indent + 2, to: &out)
                if index != keys.count - 1 { out.append(0x2C) }
                out.append(0x0A)
            }
            pad(indent, &out)
            out.append(0x7D)
        case .array(let items):
            if items.isEmpty {
                out.append(contentsOf: [0x5B, 0x5D])
                return
            }
            out.append(contentsOf: [0x5B, 0x0A])
            for (index, item) in items.enumerated() {
                pad(indent + 2, &out)
                append(item, indent: indent + 2, to: &out)
                if index != items.count - 1 { out.append(0x2C) }
                out.append(0x0A)
            }
            pad(indent, &out)
            out.append(0x5D)
        default:
            appendCompact(value, to: &out)
        }
    }

    private func appendCompact(_ value: CanonicalValue, to out: inout [UInt8]) {
        switch value {
        case .object(let fields):
            out.append(0x7B)
            for (index, key) in canonicalKeyOrder(fields.keys).enumerated() {
                if index > 0 { out.append(0x2C) }
                Self.appendString(key, to: &out)
                out.append(0x3A)
                appendCompact(fields[key]!, to: &out)
            }
            out.append(0x7D)
        case .array(let items):
            out.append(0x5B)
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(0x2C) }
                appendCompact(item, to: &out)
            }
            out.append(0x5D)
        case .string(let s): Self.appendString(s, to: &out)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .decimal(let d): out.append(contentsOf: CanonicalValue.format(d).utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string: `"` and `\` escaped, control characters as short escapes or `\u00XX`,
    /// U+2028 and U+2029 as `\u2028`/`\u2029`, everything else as UTF-8.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        var utf8 = s.utf8.makeIterator()
        var pending: [UInt8] = []
        while let byte = utf8.next() {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x08: out.append(contentsOf: [0x5C, 0x62])
            case 0x0C: out.append(contentsOf: [0x5C, 0x66])
            case 0x00..<0x20, 0x7F:
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            case 0xE2:
                // U+2028 / U+2029 are E2 80 A8 / E2 80 A9.
                pending = [byte]
                if let b1 = utf8.next() {
                    pending.append(b1)
                    if let b2 = utf8.next() {
                        pending.append(b2)
                        if b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9) {
                            out.append(contentsOf: Array("\\u202".utf8) + [b2 == 0xA8 ? 0x38 : 0x39])
                            continue
                        }
                    }
                }
                out.append(contentsOf: pending)
            default:
                out.append(byte)
            }
        }
        out.append(0x22)
    }
}
