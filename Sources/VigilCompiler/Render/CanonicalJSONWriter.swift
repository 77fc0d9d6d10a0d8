public import Foundation

/// Writes a ``CanonicalValue`` as JSON: keys sorted by UTF-8 bytes, 2-space indent, `\n` line
/// endings, one trailing newline, `/` not escaped, non-ASCII written as UTF-8.
///
/// Stage: render. One of the two writers that produce every byte of output.
public struct CanonicalJSONWriter: Sendable {
    /// Creates a writer.
    public init() {}

    /// The JSON bytes of a value.
    /// - Parameter value: The value.
    /// - Returns: UTF-8 bytes ending in one newline.
    public func write(_ value: CanonicalValue) -> Data {
        var out = ""
        out.reserveCapacity(4096)
        append(value, indent: 0, to: &out)
        out.append("\n")
        return Data(out.utf8)
    }

    /// The compact JSON text of a value, one line, keys sorted (for values embedded in strings).
    /// - Parameter value: The value.
    /// - Returns: The text.
    public func compact(_ value: CanonicalValue) -> String {
        var out = ""
        appendCompact(value, to: &out)
        return out
    }

    private func append(_ value: CanonicalValue, indent: Int, to out: inout String) {
        switch value {
        case .object(let fields):
            if fields.isEmpty {
                out.append("{}")
                return
            }
            out.append("{\n")
            let keys = canonicalKeyOrder(fields.keys)
            for (index, key) in keys.enumerated() {
                out.append(String(repeating: " ", count: indent + 2))
                Self.appendString(key, to: &out)
                out.append(": ")
                append(fields[key]!, indent: indent + 2, to: &out)
                out.append(index == keys.count - 1 ? "\n" : ",\n")
            }
            out.append(String(repeating: " ", count: indent))
            out.append("}")
        case .array(let items):
            if items.isEmpty {
                out.append("[]")
                return
            }
            out.append("[\n")
            for (index, item) in items.enumerated() {
                out.append(String(repeating: " ", count: indent + 2))
                append(item, indent: indent + 2, to: &out)
                out.append(index == items.count - 1 ? "\n" : ",\n")
            }
            out.append(String(repeating: " ", count: indent))
            out.append("]")
        default:
            appendCompact(value, to: &out)
        }
    }

    private func appendCompact(_ value: CanonicalValue, to out: inout String) {
        switch value {
        case .object(let fields):
            out.append("{")
            for (index, key) in canonicalKeyOrder(fields.keys).enumerated() {
                if index > 0 { out.append(",") }
                Self.appendString(key, to: &out)
                out.append(":")
                appendCompact(fields[key]!, to: &out)
            }
            out.append("}")
        case .array(let items):
            out.append("[")
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(",") }
                appendCompact(item, to: &out)
            }
            out.append("]")
        case .string(let s): Self.appendString(s, to: &out)
        case .int(let i): out.append(String(i))
        case .decimal(let d): out.append(CanonicalValue.format(d))
        case .bool(let b): out.append(b ? "true" : "false")
        case .null: out.append("null")
        }
    }

    static func appendString(_ s: String, to out: inout String) {
        out.append("\"")
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out.append("\\u")
                    let hex = String(scalar.value, radix: 16)
                    out.append(String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }
}
