import Foundation
import VigilModel
import Yams

/// A YAML node as read, before schema checks: scalars keep their text and whether they were
/// plain (unquoted), so the schema, not YAML 1.1, decides their type.
struct RawNode: Sendable, Equatable {
    enum Content: Sendable, Equatable {
        case scalar(String, plain: Bool)
        case sequence([RawNode])
        case mapping([RawEntry])
    }
    var content: Content
    var span: SourceSpan

    var isPlainNull: Bool {
        if case .scalar(let s, true) = content { return s == "null" || s == "~" }
        return false
    }
    var isEmptyScalar: Bool {
        if case .scalar(let s, true) = content { return s.isEmpty }
        return false
    }
    var describe: String {
        switch content {
        case .scalar(let s, let plain):
            if plain && (s == "null" || s == "~") { return "null" }
            return "'\(s)'"
        case .sequence: return "a list"
        case .mapping: return "a map"
        }
    }
}

struct RawEntry: Sendable, Equatable {
    var key: String
    var keySpan: SourceSpan
    var value: RawNode
}

/// Limits the loader enforces on every file, so that hostile input fails fast in bounded memory.
public struct LoaderLimits: Sendable, Hashable {
    /// Largest file, in bytes.
    public var maxFileBytes: Int
    /// Deepest nesting of lists and maps.
    public var maxDepth: Int
    /// Most nodes visited in one document, aliases expanded.
    public var maxNodes: Int
    /// Most nodes visited through aliases in one document.
    public var maxAliasedNodes: Int

    /// Creates limits.
    public init(maxFileBytes: Int, maxDepth: Int, maxNodes: Int, maxAliasedNodes: Int) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
        self.maxAliasedNodes = maxAliasedNodes
    }

    /// 4 MiB, depth 64, 100,000 nodes, 10,000 through aliases.
    public static let standard = LoaderLimits(
        maxFileBytes: 4 * 1024 * 1024, maxDepth: 64, maxNodes: 100_000, maxAliasedNodes: 10_000)
}

/// Reads one file's bytes into a ``RawNode`` tree with Yams (libyaml), refusing invalid UTF-8,
/// syntax errors, duplicate keys, merge keys, non-core tags and oversized or alias-bomb input.
///
/// Stage: loading. Every problem becomes a diagnostic; nothing is thrown.
struct YAMLNodeReader {
    var limits: LoaderLimits

    static let coreTags: Set<String> = [
        "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
        "tag:yaml.org,2002:seq", "!",
    ]

    func read(_ file: SourceFile, diagnostics: inout Diagnostics) -> RawNode? {
        let path = file.path
        if file.contents.count > limits.maxFileBytes {
            diagnostics.append(.limitExceeded(
                "file is \(file.contents.count) bytes, more than the limit of \(limits.maxFileBytes)",
                at: .file(path), hint: "split it into several files"))
            return nil
        }
        guard let text = Self.decodeUTF8(file.contents, path: path, diagnostics: &diagnostics) else { return nil }
        let root: Node?
        do {
            let parser = try Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8)
            guard let first = try parser.nextRoot() else {
                diagnostics.append(.emptyDocument(at: .file(path)))
                return nil
            }
            if try parser.nextRoot() != nil {
                diagnostics.append(Diagnostic(
                    "yaml/multiple-documents", "file holds more than one YAML document", at: .file(path),
                    hint: "put each definition in a file of its own"))
                return nil
            }
            root = first
        } catch let error as YamlError {
            diagnostics.append(Self.diagnostic(for: error, text: text, path: path))
            return nil
        } catch {
            diagnostics.append(Diagnostic("yaml/syntax", "cannot read YAML: \(error)", at: .file(path)))
            return nil
        }
        guard let root else { return nil }
        var walker = Walker(path: path, limits: limits)
        let result = walker.convert(root, depth: 0)
        diagnostics.append(contentsOf: walker.diagnostics)
        return walker.failed ? nil : result
    }

    // MARK: UTF-8

    static func decodeUTF8(_ data: Data, path: String, diagnostics: inout Diagnostics) -> String? {
        let bytes = [UInt8](data)
        var index = 0
        var line = 1
        var column = 1
        while index < bytes.count {
            let b = bytes[index]
            let length: Int
            if b < 0x80 {
                length = 1
            } else if b & 0xE0 == 0xC0, b >= 0xC2 {
                length = 2
            } else if b & 0xF0 == 0xE0 {
                length = 3
            } else if b & 0xF8 == 0xF0, b <= 0xF4 {
                length = 4
            } else {
                length = 0
            }
            var ok = length > 0 && index + length <= bytes.count
            if ok && length > 1 {
                for k in 1..<length where bytes[index + k] & 0xC0 != 0x80 { ok = false }
                if ok && length == 3 {
                    let b1 = bytes[index + 1]
                    if (b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 >= 0xA0) { ok = false }
                }
                if ok && length == 4 {
                    let b1 = bytes[index + 1]
                    if (b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 >= 0x90) { ok = false }
                }
            }
            guard ok else {
                diagnostics.append(Diagnostic(
                    "yaml/invalid-utf8",
                    "invalid UTF-8: byte 0x\(String(b, radix: 16, uppercase: true)) at offset \(index)",
                    at: SourceSpan(file: path, line: line, column: column),
                    hint: "save the file as UTF-8"))
                return nil
            }
            if b == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += length
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    // MARK: Yams errors

    static func diagnostic(for error: YamlError, text: String, path: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = problem
            if let context, !context.text.isEmpty { message = "\(problem) (\(context.text))" }
            var notes: [DiagnosticNote] = []
            if let context, context.mark.line > 0, context.mark.line != mark.line || context.mark.column != mark.column {
                notes.append(DiagnosticNote(context.text, at: SourceSpan(file: path, line: context.mark.line, column: context.mark.column)))
            }
            if problem.contains("undefined alias") {
                return Diagnostic("yaml/syntax", "undefined alias", at: SourceSpan(file: path, line: mark.line, column: mark.column), hint: "define the anchor (&name) before using *name")
            }
            return Diagnostic(
                "yaml/syntax", "invalid YAML: \(message)",
                at: SourceSpan(file: path, line: mark.line, column: mark.column),
                hint: "check indentation, colons and quotes on this line and the one before", notes: notes)
        case .duplicatedKeysInMapping(let keys, let context):
            let key = keys.first ?? ""
            let first = SourceSpan(file: path, line: context.mark.line, column: context.mark.column)
            let second = secondOccurrence(of: key, after: context.mark, in: text, path: path) ?? first
            return .duplicateKey(key, at: second, first: first)
        case .reader(let problem, let offset, _, _):
            return Diagnostic("yaml/syntax", "cannot read input: \(problem) at offset \(offset ?? 0)", at: .file(path))
        default:
            return Diagnostic("yaml/syntax", "invalid YAML: \(error)", at: .file(path))
        }
    }

    /// Yams reports a duplicate key at its first occurrence; find the second one, which is the
    /// key at the same column on a later line of the same block mapping.
    static func secondOccurrence(of key: String, after mark: Mark, in text: String, path: String) -> SourceSpan? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let column = mark.column
        let candidates = [key, "\"\(key)\"", "'\(key)'"]
        for index in mark.line..<lines.count {
            let scalars = Array(lines[index].unicodeScalars)
            let indent = scalars.prefix { $0 == " " }.count
            let content = String(String.UnicodeScalarView(scalars.dropFirst(indent)))
            if content.isEmpty || content.hasPrefix("#") { continue }
            if indent + 1 < column {
                // A sequence entry `- key:` keeps the mapping's column after the dash.
                guard content.hasPrefix("- ") || content == "-" else { return nil }
                continue
            }
            if indent + 1 == column {
                for candidate in candidates where content.hasPrefix(candidate) {
                    let rest = content.dropFirst(candidate.count).drop { $0 == " " }
                    if rest.hasPrefix(":") { return SourceSpan(file: path, line: index + 1, column: column) }
                }
            }
        }
        return nil
    }

    // MARK: Tree conversion

    struct Walker {
        var path: String
        var limits: LoaderLimits
        var diagnostics = Diagnostics()
        var failed = false
        var visited = 0
        var aliased = 0
        var furthest = SourceLocation(line: 0, column: 0)

        init(path: String, limits: LoaderLimits) {
            self.path = path
            self.limits = limits
        }

        /// The file's interned name, once per file.
        lazy var fileName = SourceFileName(path)

        mutating func span(_ node: Node) -> SourceSpan {
            let mark = node.mark
            return SourceSpan(fileName: fileName, start: SourceLocation(line: mark?.line ?? 1, column: mark?.column ?? 1))
        }

        mutating func fail(_ diagnostic: Diagnostic) {
            diagnostics.append(diagnostic)
            failed = true
        }

        mutating func convert(_ node: Node, depth: Int) -> RawNode? {
            if failed { return nil }
            let here = span(node)
            visited += 1
            // Document order only moves forward; a node that starts before the furthest point
            // already read was reached again through an alias.
            if here.start < furthest {
                aliased += 1
            } else {
                furthest = here.start
            }
            if visited > limits.maxNodes {
                fail(.limitExceeded("document has more than \(limits.maxNodes) nodes", at: here, hint: "split the file"))
                return nil
            }
            if aliased > limits.maxAliasedNodes {
                fail(.limitExceeded(
                    "aliases expand to more than \(limits.maxAliasedNodes) nodes", at: here,
                    hint: "write the values out or reduce nested aliases"))
                return nil
            }
            if depth > limits.maxDepth {
                fail(.limitExceeded("nesting is deeper than \(limits.maxDepth) levels", at: here, hint: "flatten the structure"))
                return nil
            }
            switch node {
            case .scalar(let scalar):
                let tag = scalar.tag.description
                if !tag.isEmpty, !YAMLNodeReader.coreTags.contains(tag) {
                    fail(Diagnostic(
                        "yaml/unsupported-tag", "unsupported YAML tag '\(tag)'", at: here,
                        hint: "remove the tag: the schema decides each value's type"))
                    return nil
                }
                let plain = scalar.style == .plain && tag != "tag:yaml.org,2002:str" && tag != "!"
                if plain && scalar.string == "<<" {
                    fail(Diagnostic(
                        "yaml/merge-key", "YAML merge keys ('<<') are not supported", at: here,
                        hint: "write the keys out, or use an overlay or template to share values"))
                    return nil
                }
                return RawNode(content: .scalar(scalar.string, plain: plain), span: here)
            case .sequence(let sequence):
                if let diagnostic = checkCollectionTag(sequence.tag.description, expected: "tag:yaml.org,2002:seq", at: here) {
                    fail(diagnostic)
                    return nil
                }
                var items: [RawNode] = []
                items.reserveCapacity(sequence.count)
                for element in sequence {
                    guard let converted = convert(element, depth: depth + 1) else { return nil }
                    items.append(converted)
                }
                return RawNode(content: .sequence(items), span: here)
            case .mapping(let mapping):
                if let diagnostic = checkCollectionTag(mapping.tag.description, expected: "tag:yaml.org,2002:map", at: here) {
                    fail(diagnostic)
                    return nil
                }
                var entries: [RawEntry] = []
                entries.reserveCapacity(mapping.count)
                for (keyNode, valueNode) in mapping {
                    guard case .scalar(let keyScalar) = keyNode else {
                        fail(Diagnostic(
                            "yaml/complex-key", "map keys must be plain strings", at: span(keyNode),
                            hint: "use a string key"))
                        return nil
                    }
                    let keySpan = span(keyNode)
                    visited += 1
                    if keySpan.start < furthest { aliased += 1 } else { furthest = keySpan.start }
                    if keyScalar.style == .plain && keyScalar.string == "<<" {
                        fail(Diagnostic(
                            "yaml/merge-key", "YAML merge keys ('<<') are not supported", at: keySpan,
                            hint: "write the keys out, or use an overlay or template to share values"))
                        return nil
                    }
                    let keyTag = keyScalar.tag.description
                    if !keyTag.isEmpty, !YAMLNodeReader.coreTags.contains(keyTag) {
                        fail(Diagnostic("yaml/unsupported-tag", "unsupported YAML tag '\(keyTag)'", at: keySpan, hint: "remove the tag"))
                        return nil
                    }
                    guard let value = convert(valueNode, depth: depth + 1) else { return nil }
                    entries.append(RawEntry(key: keyScalar.string, keySpan: keySpan, value: value))
                }
                return RawNode(content: .mapping(entries), span: here)
            case .alias:
                fail(Diagnostic("yaml/syntax", "unresolved alias", at: here, hint: "define the anchor before using it"))
                return nil
            }
        }

        func checkCollectionTag(_ tag: String, expected: String, at span: SourceSpan) -> Diagnostic? {
            if tag.isEmpty || tag == expected || tag == "!" { return nil }
            return Diagnostic(
                "yaml/unsupported-tag", "unsupported YAML tag '\(tag)'", at: span,
                hint: "remove the tag: the schema decides each value's type")
        }
    }
}

extension Diagnostic {
    static func limitExceeded(_ message: String, at span: SourceSpan, hint: String) -> Diagnostic {
        Diagnostic("yaml/limit-exceeded", message, at: span, hint: hint)
    }

    static func duplicateKey(_ key: String, at span: SourceSpan, first: SourceSpan) -> Diagnostic {
        Diagnostic(
            "schema/duplicate-key", "duplicate key '\(key)'", at: span,
            hint: "remove one of the two; a later layer (overlay or override) is the place to change a value",
            notes: [DiagnosticNote("'\(key)' first defined here", at: first)])
    }

    static func emptyDocument(at span: SourceSpan) -> Diagnostic {
        Diagnostic("schema/missing-field", "file is empty", at: span, hint: "start with 'apiVersion: vigil/v1' and 'kind:'")
    }
}
