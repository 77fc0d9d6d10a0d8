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
        var out = ByteBuffer()
        append(value, indent: 0, to: &out)
        out.append(0x0A)
        // The buffer's block becomes the `Data`: no copy.
        return out.data()
    }

    /// The compact JSON text of a value, one line, keys sorted (for values embedded in strings).
    /// - Parameter value: The value.
    /// - Returns: The text.
    public func compact(_ value: CanonicalValue) -> String {
        var out = ByteBuffer(capacity: 256)
        appendCompact(value, to: &out)
        return out.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends the JSON of a value, indented, without the trailing newline.
    /// - Parameters:
    ///   - value: The value.
    ///   - indent: The indentation of the line it starts on.
    ///   - out: The buffer.
    func append(_ value: CanonicalValue, indent: Int, to out: inout ByteBuffer) {
        switch value {
        case .object(let fields):
            if fields.isEmpty {
                out.append(0x7B)
                out.append(0x7D)
                return
            }
            out.append(0x7B)
            out.append(0x0A)
            fields.members.withUnsafeBufferPointer { members in
                for index in members.indices {
                    CanonicalBytes.pad(indent + 2, &out)
                    Self.appendString(members[index].key, to: &out)
                    out.append(0x3A)
                    out.append(0x20)
                    append(members[index].value, indent: indent + 2, to: &out)
                    if index != members.count - 1 { out.append(0x2C) }
                    out.append(0x0A)
                }
            }
            CanonicalBytes.pad(indent, &out)
            out.append(0x7D)
        case .array(let items):
            if items.isEmpty {
                out.append(0x5B)
                out.append(0x5D)
                return
            }
            out.append(0x5B)
            out.append(0x0A)
            items.withUnsafeBufferPointer { items in
                for index in items.indices {
                    CanonicalBytes.pad(indent + 2, &out)
                    append(items[index], indent: indent + 2, to: &out)
                    if index != items.count - 1 { out.append(0x2C) }
                    out.append(0x0A)
                }
            }
            CanonicalBytes.pad(indent, &out)
            out.append(0x5D)
        default:
            appendCompact(value, to: &out)
        }
    }

    /// Appends the compact JSON of a value (one line, keys sorted).
    func appendCompact(_ value: CanonicalValue, to out: inout ByteBuffer) {
        switch value {
        case .object(let fields):
            out.append(0x7B)
            var first = true
            for field in fields.members {
                if !first { out.append(0x2C) }
                first = false
                Self.appendString(field.key, to: &out)
                out.append(0x3A)
                appendCompact(field.value, to: &out)
            }
            out.append(0x7D)
        case .array(let items):
            out.append(0x5B)
            for index in items.indices {
                if index > 0 { out.append(0x2C) }
                appendCompact(items[index], to: &out)
            }
            out.append(0x5D)
        case .string(let s): Self.appendString(s, to: &out)
        case .int(let i): CanonicalBytes.append(i, to: &out)
        case .decimal(let d): out.append(utf8: CanonicalValue.format(d))
        case .bool(let b): out.append(contentsOf: b ? Self.trueBytes : Self.falseBytes)
        case .null: out.append(contentsOf: Self.nullBytes)
        }
    }

    static let trueBytes: [UInt8] = Array("true".utf8)
    static let falseBytes: [UInt8] = Array("false".utf8)
    private static let nullBytes: [UInt8] = Array("null".utf8)
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string: `"` and `\` escaped, control characters as short escapes or `\u00XX`,
    /// U+2028 and U+2029 as `\u2028`/`\u2029`, everything else as UTF-8. Runs of bytes that need
    /// no escape are copied in bulk.
    static func appendString(_ s: String, to out: inout ByteBuffer) {
        out.append(0x22)
        appendUnquoted(s, to: &out)
        out.append(0x22)
    }

    /// The inside of a JSON string, escaped as ``appendString(_:to:)`` escapes it, without the quotes.
    static func appendUnquoted(_ s: String, to out: inout ByteBuffer) {
        CanonicalBytes.appendEscaped(
            s, to: &out, isPlain: { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C && $0 != 0x7F && $0 != 0xE2 }
        ) { bytes, index, out in
            let byte = bytes[index]
            switch byte {
            case 0xE2:
                // U+2028 / U+2029 are E2 80 A8 / E2 80 A9; any other character starting E2 is copied.
                guard index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9
                else { return 0 }
                out.append(contentsOf: [0x5C, 0x75, 0x32, 0x30, 0x32, bytes[index + 2] == 0xA8 ? 0x38 : 0x39])
                return 3
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0x08: out.append(0x5C); out.append(0x62)
            case 0x0C: out.append(0x5C); out.append(0x66)
            default: out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
            return 1
        }
    }
}
