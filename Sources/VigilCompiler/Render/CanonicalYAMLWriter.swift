public import Foundation

/// Writes a ``CanonicalValue`` as YAML that YAML 1.1 and 1.2 readers read the same way: every
/// string scalar double-quoted, keys plain where safe, sorted by UTF-8 bytes, 2-space indent,
/// `\n` line endings, one trailing newline. Several values become a multi-document stream.
///
/// Stage: render. One of the two writers that produce every byte of output.
public struct CanonicalYAMLWriter: Sendable {
    /// Creates a writer.
    public init() {}

    /// The YAML bytes of one document.
    /// - Parameter value: The document.
    /// - Returns: UTF-8 bytes ending in one newline.
    public func write(_ value: CanonicalValue) -> Data { write(documents: [value]) }

    /// The YAML bytes of several documents, separated by `---`.
    /// - Parameter documents: The documents, in order.
    /// - Returns: UTF-8 bytes ending in one newline.
    public func write(documents: [CanonicalValue]) -> Data {
        var out = ByteBuffer()
        for (index, document) in documents.enumerated() {
            if index > 0 { out.append(contentsOf: Self.separator) }
            appendDocument(document, to: &out)
        }
        return out.data()
    }

    private static let separator: [UInt8] = Array("---\n".utf8)

    private func appendDocument(_ value: CanonicalValue, to out: inout ByteBuffer) {
        switch value {
        case .object(let fields) where !fields.isEmpty:
            appendObject(fields, indent: 0, inlineFirst: false, to: &out)
        case .array(let items) where !items.isEmpty:
            appendArray(items, indent: 0, to: &out)
        default:
            appendScalar(value, to: &out)
            out.append(0x0A)
        }
    }

    /// The fields one per line at `indent`; with `inlineFirst` the first key continues the
    /// current line (after a list's dash) and the rest align under it.
    private func appendObject(_ fields: CanonicalObject, indent: Int, inlineFirst: Bool, to out: inout ByteBuffer) {
        var first = inlineFirst
        for field in fields.members {
            if !first { CanonicalBytes.pad(indent, &out) }
            first = false
            Self.appendKey(field.key, to: &out)
            out.append(0x3A)
            appendNested(field.value, indent: indent, to: &out)
        }
    }

    private func appendArray(_ items: [CanonicalValue], indent: Int, to out: inout ByteBuffer) {
        for item in items {
            CanonicalBytes.pad(indent, &out)
            out.append(0x2D)
            switch item {
            case .object(let fields) where !fields.isEmpty:
                // First key on the dash line, the rest aligned under it.
                out.append(0x20)
                appendObject(fields, indent: indent + 2, inlineFirst: true, to: &out)
            case .array(let inner) where !inner.isEmpty:
                out.append(0x0A)
                appendArray(inner, indent: indent + 2, to: &out)
            default:
                out.append(0x20)
                appendScalar(item, to: &out)
                out.append(0x0A)
            }
        }
    }

    private func appendNested(_ value: CanonicalValue, indent: Int, to out: inout ByteBuffer) {
        switch value {
        case .object(let fields) where !fields.isEmpty:
            out.append(0x0A)
            appendObject(fields, indent: indent + 2, inlineFirst: false, to: &out)
        case .array(let items) where !items.isEmpty:
            out.append(0x0A)
            appendArray(items, indent: indent, to: &out)
        default:
            out.append(0x20)
            appendScalar(value, to: &out)
            out.append(0x0A)
        }
    }

    private func appendScalar(_ value: CanonicalValue, to out: inout ByteBuffer) {
        switch value {
        case .object: out.append(0x7B); out.append(0x7D)
        case .array: out.append(0x5B); out.append(0x5D)
        case .string(let s): Self.appendQuoted(s, to: &out)
        case .int(let i): CanonicalBytes.append(i, to: &out)
        case .decimal(let d): out.append(utf8: CanonicalValue.format(d))
        case .bool(let b): out.append(utf8: (b ? "true" : "false"))
        case .null: out.append(utf8: "null")
        }
    }

    private static let reserved: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
        "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
    ]

    /// Whether a key can be written plain: it cannot be read as anything but this string in
    /// YAML 1.1 or 1.2 (a letter or `_` first, then letters, digits, `_ - . /`; no reserved word).
    static func isPlainKey(_ key: String) -> Bool {
        let safe = CanonicalBytes.withUTF8(key) { bytes -> Bool in
            guard let first = bytes.first, Self.isLetter(first) || first == 0x5F else { return false }
            for byte in bytes where !(Self.isLetter(byte) || (0x30...0x39).contains(byte) || byte == 0x5F || byte == 0x2D || byte == 0x2E || byte == 0x2F) {
                return false
            }
            return true
        }
        return safe && (key.utf8.count > 5 || !reserved.contains(key))
    }

    @inline(__always)
    private static func isLetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) }

    /// Appends a key, plain when ``isPlainKey(_:)``, else double-quoted.
    static func appendKey(_ key: String, to out: inout ByteBuffer) {
        if isPlainKey(key) { out.append(utf8: key) } else { appendQuoted(key, to: &out) }
    }

    /// Appends a double-quoted YAML scalar: `"`, `\`, newline, tab and carriage return as short
    /// escapes; other C0 controls, DEL, C1 controls, U+FEFF, U+2028 and U+2029 as `\xHH` or
    /// `\uHHHH`; everything else as UTF-8. A byte scan: runs that need no escape are copied in
    /// bulk (every character escaped is recognisable from its first bytes).
    static func appendQuoted(_ s: String, to out: inout ByteBuffer) {
        out.append(0x22)
        CanonicalBytes.appendEscaped(
            s, to: &out,
            // Printable ASCII but `"` and `\`, and every byte of a multi-byte character except
            // the lead bytes of the escaped ones (C2: C1 controls, E2: U+2028/9, EF: U+FEFF).
            isPlain: { ($0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C) || ($0 >= 0x80 && $0 != 0xC2 && $0 != 0xE2 && $0 != 0xEF) }
        ) { bytes, index, out in
            func escape(_ value: UInt32, width: Int) {
                out.append(0x5C)
                out.append(width == 2 ? 0x78 : 0x75)
                for shift in stride(from: (width - 1) * 4, through: 0, by: -4) {
                    out.append(upperHex[Int((value >> UInt32(shift)) & 0xF)])
                }
            }
            let byte = bytes[index]
            let count = bytes.count
            switch byte {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x00..<0x20, 0x7F: escape(UInt32(byte), width: 2)
            case 0xC2 where index + 1 < count && (0x80...0x9F).contains(bytes[index + 1]):
                // U+0080…U+009F.
                escape(UInt32(bytes[index + 1]), width: 2)
                return 2
            case 0xE2 where index + 2 < count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                escape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029, width: 4)
                return 3
            case 0xEF where index + 2 < count && bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF:
                escape(0xFEFF, width: 4)
                return 3
            default:
                // Another character with one of those lead bytes: copied.
                return 0
            }
            return 1
        }
        out.append(0x22)
    }

    private static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)
}
