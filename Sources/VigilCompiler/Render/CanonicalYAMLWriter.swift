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
        var out = ""
        for (index, document) in documents.enumerated() {
            if index > 0 { out.append("---\n") }
            appendDocument(document, to: &out)
        }
        return Data(out.utf8)
    }

    private func appendDocument(_ value: CanonicalValue, to out: inout String) {
        switch value {
        case .object(let fields) where !fields.isEmpty:
            appendObject(fields, indent: 0, to: &out)
        case .array(let items) where !items.isEmpty:
            appendArray(items, indent: 0, to: &out)
        default:
            out.append(scalar(value))
            out.append("\n")
        }
    }

    private func appendObject(_ fields: [String: CanonicalValue], indent: Int, to out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for key in canonicalKeyOrder(fields.keys) {
            let value = fields[key]!
            out.append(pad)
            out.append(Self.key(key))
            out.append(":")
            appendNested(value, indent: indent, to: &out)
        }
    }

    private func appendArray(_ items: [CanonicalValue], indent: Int, to out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            out.append(pad)
            out.append("-")
            switch item {
            case .object(let fields) where !fields.isEmpty:
                // First key on the dash line, the rest aligned under it.
                var nested = ""
                appendObject(fields, indent: indent + 2, to: &nested)
                out.append(" ")
                out.append(String(nested.dropFirst(indent + 2)))
            case .array(let inner) where !inner.isEmpty:
                out.append("\n")
                appendArray(inner, indent: indent + 2, to: &out)
            default:
                out.append(" ")
                out.append(scalar(item))
                out.append("\n")
            }
        }
    }

    private func appendNested(_ value: CanonicalValue, indent: Int, to out: inout String) {
        switch value {
        case .object(let fields) where !fields.isEmpty:
            out.append("\n")
            appendObject(fields, indent: indent + 2, to: &out)
        case .array(let items) where !items.isEmpty:
            out.append("\n")
            appendArray(items, indent: indent, to: &out)
        default:
            out.append(" ")
            out.append(scalar(value))
            out.append("\n")
        }
    }

    private func scalar(_ value: CanonicalValue) -> String {
        switch value {
        case .object: return "{}"
        case .array: return "[]"
        case .string(let s): return Self.quoted(s)
        case .int(let i): return String(i)
        case .decimal(let d): return CanonicalValue.format(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// A key is written plain when it cannot be read as anything but this string in YAML 1.1 or
    /// 1.2; otherwise double-quoted.
    static func key(_ key: String) -> String {
        let reserved: Set<String> = [
            "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
            "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
        ]
        guard let first = key.unicodeScalars.first, !reserved.contains(key),
            ("a"..."z").contains(first) || ("A"..."Z").contains(first) || first == "_",
            key.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    || $0 == "_" || $0 == "-" || $0 == "." || $0 == "/"
            })
        else { return quoted(key) }
        return key
    }

    /// A double-quoted YAML scalar with the escapes both YAML versions read.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\t": out.append("\\t")
            case "\r": out.append("\\r")
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0xFEFF || scalar.value == 0x2028 || scalar.value == 0x2029
                {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out.append(scalar.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                        : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
        return out
    }
}
