public import Foundation
import Yams

/// A problem found while reading an artifact back: what went wrong and, where known, the file and
/// the 1-based line and column (columns count Unicode scalars, as Yams `Mark` does).
public struct ArtifactReadError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What went wrong.
    public var message: String
    /// The file, when the reader was given one.
    public var path: String?
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?

    /// Creates an error.
    /// - Parameters:
    ///   - message: What went wrong.
    ///   - path: The file, if known.
    ///   - line: 1-based line, if known.
    ///   - column: 1-based column, if known.
    public init(_ message: String, path: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.path = path
        self.line = line
        self.column = column
    }

    /// `path:line:column: message`, leaving out the parts that are not known.
    public var description: String {
        var prefix = path.map { [$0] } ?? []
        if let line {
            prefix.append(String(line))
            if let column { prefix.append(String(column)) }
        }
        return prefix.isEmpty ? message : prefix.joined(separator: ":") + ": " + message
    }
}

/// Reads artifacts that Vigil rendered earlier back into ``CanonicalValue`` trees: the inverse
/// of ``CanonicalJSONWriter`` and ``CanonicalYAMLWriter``, so that a rendered folder can be
/// compared with a fresh render.
///
/// Stage: diff. Reading then writing any file the canonical writers produced gives the same
/// bytes back. Numbers never pass through `Double`: whole numbers that fit `Int` become
/// ``CanonicalValue/int(_:)``, all others ``CanonicalValue/decimal(_:)`` parsed from the literal
/// text (exact up to `Decimal`'s 38 significant digits).
public enum ArtifactReader {
    /// Deepest nesting of arrays and objects either reader accepts.
    public static let maxDepth = 512

    /// Most nodes a YAML document may reach through aliases (the writers never emit any), so a
    /// nested-alias bomb fails fast instead of expanding in memory.
    static let maxAliasedNodes = 100_000

    /// Parses a JSON document (RFC 8259, with an optional leading UTF-8 byte order mark).
    ///
    /// Numbers are exact: an integer literal without fraction or exponent that fits `Int` becomes
    /// `.int`, any other number `.decimal(Decimal(string:))` of the literal text. Duplicate object
    /// keys, invalid UTF-8, lone surrogate escapes and trailing characters are errors.
    /// - Parameter data: The document's bytes.
    /// - Returns: The value.
    /// - Throws: ``ArtifactReadError`` with the line and column of the first problem.
    public static func json(_ data: Data) throws -> CanonicalValue {
        try data.withUnsafeBytes { raw in
            try raw.withMemoryRebound(to: UInt8.self) { try json($0) }
        }
    }

    /// Parses JSON bytes in place (a slice of a file), as ``json(_:)-(Data)`` does.
    static func json(_ bytes: UnsafeBufferPointer<UInt8>) throws -> CanonicalValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    /// Parses a YAML stream into its documents, one element per document, with Yams (libyaml)
    /// and no implicit typing by Yams itself.
    ///
    /// Quoted and block scalars are strings. Plain scalars are typed by the YAML 1.2 core schema:
    /// empty, `~` and `null` are `.null`; `true`/`false` `.bool`; integers `.int` (`.decimal`
    /// when they do not fit `Int`); other numbers `.decimal`; anything else `.string`. The core
    /// tags (`!!str`, `!!int`, …) are honoured; other tags, non-scalar keys, duplicate keys,
    /// infinities and NaN are errors. Mappings become `.object`, sequences `.array`.
    /// - Parameter data: The stream's bytes (UTF-8).
    /// - Returns: The documents in order; empty for an empty stream.
    /// - Throws: ``ArtifactReadError`` with the line and column of the first problem.
    public static func yamlDocuments(_ data: Data) throws -> [CanonicalValue] {
        guard let text = String(validating: data, as: UTF8.self) else {
            let position = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                raw.withMemoryRebound(to: UInt8.self) { bytes in
                    Self.position(of: firstInvalidUTF8(in: bytes, from: 0, to: bytes.count) ?? 0, in: bytes)
                }
            }
            throw ArtifactReadError("invalid UTF-8", line: position.line, column: position.column)
        }
        var documents: [CanonicalValue] = []
        do {
            let parser = try Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8)
            while let root = try parser.nextRoot() {
                var converter = YAMLConverter()
                documents.append(try converter.convert(root, depth: 0))
            }
        } catch let error as YamlError {
            throw ArtifactReadError(error)
        }
        return documents
    }

    /// Parses a file by its extension: `.json` gives one value, `.yaml` and `.yml` every document
    /// of the stream.
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - path: The file's path; used for the extension and in errors.
    /// - Returns: The documents.
    /// - Throws: ``ArtifactReadError`` carrying `path`, also for an unknown extension.
    public static func read(_ data: Data, path: String) throws -> [CanonicalValue] {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.split(separator: ".", omittingEmptySubsequences: false).dropFirst().last?.lowercased() ?? ""
        do {
            switch ext {
            case "json": return [try json(data)]
            case "yaml", "yml": return try yamlDocuments(data)
            default:
                throw ArtifactReadError("cannot read '.\(ext)' files: expected .json, .yaml or .yml")
            }
        } catch var error as ArtifactReadError {
            error.path = path
            throw error
        }
    }

    // MARK: Positions

    /// The 1-based line and column of a byte offset; columns count Unicode scalars.
    static func position(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var index = 0
        let end = min(offset, bytes.count)
        while index < end {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return (line, column)
    }

    /// The offset of the first byte in `start..<end` that does not begin a valid UTF-8 sequence
    /// (overlong forms, surrogates and values past U+10FFFF are invalid), or nil.
    static func firstInvalidUTF8(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var index = start
        while index < end {
            let b = bytes[index]
            let length: Int
            if b < 0x80 {
                index += 1
                continue
            } else if b & 0xE0 == 0xC0, b >= 0xC2 {
                length = 2
            } else if b & 0xF0 == 0xE0 {
                length = 3
            } else if b & 0xF8 == 0xF0, b <= 0xF4 {
                length = 4
            } else {
                return index
            }
            guard index + length <= end else { return index }
            for k in 1..<length where bytes[index + k] & 0xC0 != 0x80 { return index }
            let b1 = bytes[index + 1]
            if length == 3, (b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 >= 0xA0) { return index }
            if length == 4, (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 >= 0x90) { return index }
            index += length
        }
        return nil
    }
}

// MARK: - JSON

/// A recursive-descent JSON parser over raw UTF-8 bytes. Strings without escapes are decoded
/// straight from the input; escaped ones go through one byte buffer.
private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    func error(_ message: String, at offset: Int? = nil) -> ArtifactReadError {
        let position = ArtifactReader.position(of: offset ?? index, in: bytes)
        return ArtifactReadError(message, line: position.line, column: position.column)
    }

    func unexpected() -> ArtifactReadError {
        guard index < bytes.count else { return error("unexpected end of input") }
        let byte = bytes[index]
        if byte >= 0x21 && byte < 0x7F {
            return error("unexpected character '\(Character(Unicode.Scalar(byte)))'")
        }
        return error("unexpected byte 0x\(String(byte, radix: 16, uppercase: true))")
    }

    mutating func parseDocument() throws(ArtifactReadError) -> CanonicalValue {
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else {
            throw error("unexpected characters after the end of the document")
        }
        return value
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(ArtifactReadError) -> CanonicalValue {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw unexpected()
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(ArtifactReadError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        let text = literal.utf8Start
        for k in 0..<count {
            guard start + k < bytes.count, bytes[start + k] == text[k] else {
                index = start + k
                throw error("invalid literal; expected '\(literal)'", at: start)
            }
        }
        index = start + count
    }

    mutating func enter() throws(ArtifactReadError) {
        depth += 1
        if depth > ArtifactReader.maxDepth {
            throw error("nesting is deeper than \(ArtifactReader.maxDepth) levels")
        }
    }

    mutating func parseObject() throws(ArtifactReadError) -> CanonicalValue {
        try enter()
        index += 1
        var fields: [String: CanonicalValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(fields)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw index < bytes.count ? error("expected a string key") : error("unexpected end of input")
            }
            let keyStart = index
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw index < bytes.count ? error("expected ':' after an object key") : error("unexpected end of input")
            }
            index += 1
            let value = try parseValue()
            if fields.updateValue(value, forKey: key) != nil {
                throw error("duplicate key '\(key)'", at: keyStart)
            }
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(fields)
            default:
                throw error("expected ',' or '}' in an object")
            }
        }
    }

    mutating func parseArray() throws(ArtifactReadError) -> CanonicalValue {
        try enter()
        index += 1
        var items: [CanonicalValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(items)
            default:
                throw error("expected ',' or ']' in an array")
            }
        }
    }

    /// Reads a string starting at its opening quote and leaves `index` after the closing one.
    mutating func parseString() throws(ArtifactReadError) -> String {
        let open = index
        index += 1
        let contentStart = index
        var high: UInt8 = 0
        // Fast path: no escapes, so the bytes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            high |= byte
            if byte == UInt8(ascii: "\"") {
                if high >= 0x80 { try validateUTF8(from: contentStart) }
                let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<index]), as: UTF8.self)
                index += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(open: open, contentStart: contentStart) }
            if byte < 0x20 { throw error("control character in a string; write it as an escape") }
            index += 1
        }
        throw error("unterminated string", at: open)
    }

    mutating func parseEscapedString(open: Int, contentStart: Int) throws(ArtifactReadError) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(index - contentStart + 16)
        buffer.append(contentsOf: bytes[contentStart..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                // Escapes are ASCII and decode to valid UTF-8, so checking the source suffices.
                try validateUTF8(from: contentStart)
                let string = String(decoding: buffer, as: UTF8.self)
                index += 1
                return string
            case UInt8(ascii: "\\"):
                let escapeStart = index
                index += 1
                guard index < bytes.count else { throw error("unterminated string", at: open) }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escaped)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "u"):
                    let scalar = try parseUnicodeEscape(escapeStart: escapeStart)
                    appendUTF8(scalar, to: &buffer)
                default:
                    throw error("invalid escape in a string", at: escapeStart)
                }
            default:
                if byte < 0x20 { throw error("control character in a string; write it as an escape") }
                buffer.append(byte)
                index += 1
            }
        }
        throw error("unterminated string", at: open)
    }

    /// Reads the four hex digits after `\u` (and a second `\uXXXX` for a surrogate pair).
    mutating func parseUnicodeEscape(escapeStart: Int) throws(ArtifactReadError) -> Unicode.Scalar {
        let high = try hex4(escapeStart: escapeStart)
        if (0xDC00...0xDFFF).contains(high) {
            throw error("lone low surrogate in a \\u escape", at: escapeStart)
        }
        if (0xD800...0xDBFF).contains(high) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("high surrogate not followed by a low surrogate", at: escapeStart)
            }
            let lowStart = index
            index += 2
            let low = try hex4(escapeStart: lowStart)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw error("high surrogate not followed by a low surrogate", at: escapeStart)
            }
            let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            return Unicode.Scalar(value)!
        }
        return Unicode.Scalar(high)!
    }

    mutating func hex4(escapeStart: Int) throws(ArtifactReadError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("invalid \\u escape", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape", at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    func appendUTF8(_ scalar: Unicode.Scalar, to buffer: inout [UInt8]) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            buffer.append(UInt8(value))
        case 0x80..<0x800:
            buffer.append(UInt8(0xC0 | (value >> 6)))
            buffer.append(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            buffer.append(UInt8(0xE0 | (value >> 12)))
            buffer.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            buffer.append(UInt8(0x80 | (value & 0x3F)))
        default:
            buffer.append(UInt8(0xF0 | (value >> 18)))
            buffer.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            buffer.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            buffer.append(UInt8(0x80 | (value & 0x3F)))
        }
    }

    /// Checks that the string content from `start` up to the closing quote at `index` is valid
    /// UTF-8, throwing at the first invalid byte.
    func validateUTF8(from start: Int) throws(ArtifactReadError) {
        if let bad = ArtifactReader.firstInvalidUTF8(in: bytes, from: start, to: index) {
            throw error("invalid UTF-8 in a string", at: bad)
        }
    }

    mutating func parseNumber() throws(ArtifactReadError) -> CanonicalValue {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number", at: start) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw error("leading zero in a number", at: start) }
        } else {
            skipDigits()
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit after '.'") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit in the exponent") }
            skipDigits()
        }
        if isInteger, let value = exactInt(from: negative ? start + 1 : start, to: index, negative: negative) {
            return .int(value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let decimal = Decimal(string: text) else { throw error("number out of range", at: start) }
        return .decimal(decimal)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    /// The value of the digits in `start..<end`, or nil when it does not fit `Int`. Accumulates
    /// negatively so `Int.min` fits.
    func exactInt(from start: Int, to end: Int, negative: Bool) -> Int? {
        var value = 0
        for offset in start..<end {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.subtractingReportingOverflow(Int(bytes[offset] - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            value = next
        }
        if negative { return value }
        let (positive, overflow) = (0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }
}

// MARK: - YAML

/// Converts Yams nodes (composed with `Resolver.basic`, so plain scalars keep an implicit tag)
/// into values, typing plain scalars by the YAML 1.2 core schema.
private struct YAMLConverter {
    var aliased = 0
    var furthest = (line: 0, column: 0)

    func error(_ message: String, at node: Node) -> ArtifactReadError {
        ArtifactReadError(message, line: node.mark?.line, column: node.mark?.column)
    }

    /// Counts nodes reached again through an alias: document order only moves forward, so a node
    /// that starts before the furthest point seen was visited before.
    mutating func visit(_ node: Node) throws(ArtifactReadError) {
        guard let mark = node.mark else { return }
        if (mark.line, mark.column) < furthest {
            aliased += 1
            if aliased > ArtifactReader.maxAliasedNodes {
                throw error("aliases expand to more than \(ArtifactReader.maxAliasedNodes) nodes", at: node)
            }
        } else {
            furthest = (mark.line, mark.column)
        }
    }

    mutating func convert(_ node: Node, depth: Int) throws(ArtifactReadError) -> CanonicalValue {
        try visit(node)
        switch node {
        case .scalar(let scalar):
            return try value(of: scalar, node: node)
        case .sequence(let sequence):
            try checkCollection(tag: sequence.tag.description, expected: Tag.Name.seq.rawValue, node: node, depth: depth)
            var items: [CanonicalValue] = []
            items.reserveCapacity(sequence.count)
            for element in sequence {
                items.append(try convert(element, depth: depth + 1))
            }
            return .array(items)
        case .mapping(let mapping):
            try checkCollection(tag: mapping.tag.description, expected: Tag.Name.map.rawValue, node: node, depth: depth)
            var fields: [String: CanonicalValue] = [:]
            fields.reserveCapacity(mapping.count)
            for (keyNode, valueNode) in mapping {
                try visit(keyNode)
                guard case .scalar(let keyScalar) = keyNode else {
                    throw error("map keys must be scalars", at: keyNode)
                }
                let key = keyScalar.string
                let value = try convert(valueNode, depth: depth + 1)
                if fields.updateValue(value, forKey: key) != nil {
                    throw error("duplicate key '\(key)'", at: keyNode)
                }
            }
            return .object(fields)
        case .alias:
            throw error("unresolved alias", at: node)
        }
    }

    func checkCollection(tag: String, expected: String, node: Node, depth: Int) throws(ArtifactReadError) {
        if depth >= ArtifactReader.maxDepth {
            throw error("nesting is deeper than \(ArtifactReader.maxDepth) levels", at: node)
        }
        if !(tag.isEmpty || tag == "!" || tag == expected) {
            throw error("unsupported YAML tag '\(tag)'", at: node)
        }
    }

    func value(of scalar: Node.Scalar, node: Node) throws(ArtifactReadError) -> CanonicalValue {
        let text = scalar.string
        switch Tag.Name(rawValue: scalar.tag.description) {
        case .implicit:
            // libyaml gives quoted and block scalars the str tag, so only plain ones get here.
            return scalar.style == .plain ? try plain(text, node: node) : .string(text)
        case .nonSpecific, .str:
            return .string(text)
        case .null:
            guard case .null = try plain(text, node: node) else { throw error("'\(text)' is not null", at: node) }
            return .null
        case .bool:
            guard case .bool(let b) = try plain(text, node: node) else { throw error("'\(text)' is not a Boolean", at: node) }
            return .bool(b)
        case .int:
            let typed = try plain(text, node: node)
            if case .int = typed { return typed }
            if case .decimal(let d) = typed, Self.isWholeNumberLiteral(text) { return .decimal(d) }
            throw error("'\(text)' is not an integer", at: node)
        case .float:
            switch try plain(text, node: node) {
            case .int(let i): return .decimal(Decimal(i))
            case .decimal(let d): return .decimal(d)
            default: throw error("'\(text)' is not a number", at: node)
            }
        default:
            throw error("unsupported YAML tag '\(scalar.tag.description)'", at: node)
        }
    }

    /// Types a plain scalar by the YAML 1.2 core schema.
    func plain(_ text: String, node: Node) throws(ArtifactReadError) -> CanonicalValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            throw error("'\(text)' cannot be read as an exact number", at: node)
        default: break
        }
        let bytes = Array(text.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
            || first == UInt8(ascii: ".") || first == UInt8(ascii: "0") || (first >= 0x31 && first <= 0x39)
        else { return .string(text) }
        if Self.isWholeNumberLiteral(text) {
            if let value = Int(text) { return .int(value) }
            return try decimal(text, node: node)
        }
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
            let radix: Int? = switch bytes[1] {
            case UInt8(ascii: "x"): 16
            case UInt8(ascii: "o"): 8
            default: nil
            }
            if let radix, let value = Int(text.dropFirst(2), radix: radix) { return .int(value) }
        }
        if Self.isFloatLiteral(bytes) { return try decimal(text, node: node) }
        return .string(text)
    }

    func decimal(_ text: String, node: Node) throws(ArtifactReadError) -> CanonicalValue {
        let unsigned = text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard let value = Decimal(string: unsigned) else { throw error("number '\(text)' out of range", at: node) }
        return .decimal(value)
    }

    /// `[-+]?[0-9]+`
    static func isWholeNumberLiteral(_ text: String) -> Bool {
        var utf8 = Substring(text).utf8
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { utf8 = utf8.dropFirst() }
        return !utf8.isEmpty && utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    static func isFloatLiteral(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        let whole = digits()
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fraction = digits()
            if whole == 0 && fraction == 0 { return false }
        } else if whole == 0 {
            return false
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            if digits() == 0 { return false }
        }
        return index == bytes.count
    }
}

extension ArtifactReadError {
    /// Converts a Yams error, keeping libyaml's line and column.
    init(_ error: YamlError) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context, !context.text.isEmpty { message += " (\(context.text))" }
            self.init(message, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let keys, let context):
            self.init("duplicate key '\(keys.first ?? "")'", line: context.mark.line, column: context.mark.column)
        case .reader(let problem, let offset, _, _):
            self.init("cannot read YAML: \(problem) at byte offset \(offset ?? 0)")
        default:
            self.init("invalid YAML: \(error)")
        }
    }
}
