import Foundation
import Testing
import VigilCompiler

@Suite("ArtifactReader")
struct ArtifactReaderTests {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every committed `.json` and `.yaml` file under `examples/out`, as repo-relative paths.
    static let renderedFiles: [String] = {
        let out = repoRoot.appendingPathComponent("examples/out")
        guard let walker = FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil) else { return [] }
        var paths: [String] = []
        for case let url as URL in walker where ["json", "yaml"].contains(url.pathExtension) {
            paths.append(String(url.standardizedFileURL.path.dropFirst(repoRoot.standardizedFileURL.path.count + 1)))
        }
        return paths.sorted()
    }()

    static func json(_ text: String) throws -> CanonicalValue {
        try ArtifactReader.json(Data(text.utf8))
    }

    static func yaml(_ text: String) throws -> [CanonicalValue] {
        try ArtifactReader.yamlDocuments(Data(text.utf8))
    }

    // MARK: Round trip

    @Test("examples/out holds JSON and YAML files to read")
    func examplesExist() {
        #expect(Self.renderedFiles.contains { $0.hasSuffix(".json") })
        #expect(Self.renderedFiles.contains { $0.hasSuffix(".yaml") })
    }

    @Test("reading a rendered file and writing it back gives the same bytes", arguments: renderedFiles)
    func roundTrip(path: String) throws {
        let bytes = try Data(contentsOf: Self.repoRoot.appendingPathComponent(path))
        let documents = try ArtifactReader.read(bytes, path: path)
        let written: Data
        if path.hasSuffix(".json") {
            #expect(documents.count == 1)
            written = CanonicalJSONWriter().write(try #require(documents.first))
        } else if documents.count == 1 {
            written = CanonicalYAMLWriter().write(documents[0])
        } else {
            written = CanonicalYAMLWriter().write(documents: documents)
        }
        #expect(written == bytes, "\(path) changed on the round trip")
    }

    @Test("a tree with every kind of value survives writing and reading in both formats")
    func writerRoundTrip() throws {
        let sample: CanonicalValue = .object([
            "strings": .array([.string(""), .string("123"), .string("true"), .string("null"), .string("~"),
                               .string("quote \" backslash \\ tab \t newline \n bell \u{07} del \u{7F} é ✓ 😀 \u{2028}")]),
            "numbers": .array([.int(0), .int(-42), .int(Int.max), .int(Int.min), .decimal(Decimal(string: "0.001")!),
                               .decimal(Decimal(string: "-95.5")!), .decimal(Decimal(string: "12345678901234567890")!)]),
            "flags": .array([.bool(true), .bool(false), .null]),
            "empty": .object(["list": .array([]), "map": .object([:])]),
            "nested": .array([.array([.object(["a": .int(1)])]), .object(["b": .array([.string("x")])])]),
            "key with space": .string("quoted key"),
            "yes": .string("reserved key"),
        ])
        let json = CanonicalJSONWriter().write(sample)
        #expect(CanonicalJSONWriter().write(try ArtifactReader.json(json)) == json)
        let yaml = CanonicalYAMLWriter().write(documents: [sample, .string("second"), .int(3)])
        let documents = try ArtifactReader.yamlDocuments(yaml)
        #expect(documents.count == 3)
        #expect(CanonicalYAMLWriter().write(documents: documents) == yaml)
    }

    // MARK: Numbers

    @Test("JSON numbers stay exact")
    func exactNumbers() throws {
        #expect(try Self.json("0.1") == .decimal(Decimal(string: "0.1")!))
        #expect(try Self.json("1e-3") == .decimal(Decimal(string: "0.001")!))
        #expect(try Self.json("2.5E+2") == .decimal(Decimal(250)))
        #expect(try Self.json("12345678901234567890") == .decimal(Decimal(string: "12345678901234567890")!))
        #expect(try Self.json("-12345678901234567890") == .decimal(Decimal(string: "-12345678901234567890")!))
        #expect(try Self.json("9223372036854775807") == .int(Int.max))
        #expect(try Self.json("-9223372036854775808") == .int(Int.min))
        #expect(try Self.json("9223372036854775808") == .decimal(Decimal(string: "9223372036854775808")!))
        #expect(try Self.json("-0") == .int(0))
        #expect(try Self.json("42") == .int(42))
        #expect(try Self.json("1.0") == .decimal(Decimal(1)))
        // 0.1 + 0.2 through Double would not be 0.3; Decimal is.
        guard case .decimal(let a) = try Self.json("0.1"), case .decimal(let b) = try Self.json("0.2") else {
            Issue.record("expected decimals")
            return
        }
        #expect(a + b == Decimal(string: "0.3")!)
        #expect(CanonicalJSONWriter().write(try Self.json("[0.1, 1e-3, 12345678901234567890]"))
            == Data("[\n  0.1,\n  0.001,\n  12345678901234567890\n]\n".utf8))
    }

    @Test("YAML plain scalars are typed and quoted ones stay strings")
    func yamlTyping() throws {
        let documents = try Self.yaml("""
            quoted: "123"
            single: '123'
            plain: 123
            negative: -7
            decimal: 0.1
            exponent: 1e-3
            big: 12345678901234567890
            yes: true
            no: false
            nothing: null
            tilde: ~
            empty:
            word: hello
            "true": "true"
            quotedNull: "null"
            block: |
              123
            list: [1, "1", x]
            map: {}
            """)
        #expect(documents == [.object([
            "quoted": .string("123"),
            "single": .string("123"),
            "plain": .int(123),
            "negative": .int(-7),
            "decimal": .decimal(Decimal(string: "0.1")!),
            "exponent": .decimal(Decimal(string: "0.001")!),
            "big": .decimal(Decimal(string: "12345678901234567890")!),
            "yes": .bool(true),
            "no": .bool(false),
            "nothing": .null,
            "tilde": .null,
            "empty": .null,
            "word": .string("hello"),
            "true": .string("true"),
            "quotedNull": .string("null"),
            "block": .string("123\n"),
            "list": .array([.int(1), .string("1"), .string("x")]),
            "map": .object([:]),
        ])])
    }

    @Test("YAML streams give one value per document; explicit core tags are honoured")
    func yamlDocumentsAndTags() throws {
        #expect(try Self.yaml("") == [])
        #expect(try Self.yaml("a: 1\n---\n- b\n---\n\"c\"\n") == [.object(["a": .int(1)]), .array([.string("b")]), .string("c")])
        #expect(try Self.yaml("- !!str 123\n- !!int \"5\"\n- !!float 2\n- ! 7\n")
            == [.array([.string("123"), .int(5), .decimal(Decimal(2)), .string("7")])])
    }

    // MARK: Strings

    @Test("JSON string escapes and Unicode")
    func stringEscapes() throws {
        #expect(try Self.json(#""quote \" backslash \\ slash \/ / b\b f\f n\n r\r t\t""#)
            == .string("quote \" backslash \\ slash / / b\u{08} f\u{0C} n\n r\r t\t"))
        #expect(try Self.json(#""\u0041\u00e9\u2028\u0000""#) == .string("Aé\u{2028}\u{0}"))
        #expect(try Self.json(#""\ud83d\ude00 \uD834\uDD1E""#) == .string("😀 𝄞"))
        #expect(try Self.json("\"raw é ✓ 😀 \u{7F}\"") == .string("raw é ✓ 😀 \u{7F}"))
        #expect(try Self.json(#"{"k\u00e9y": "v", "": ""}"#) == .object(["kéy": .string("v"), "": .string("")]))
        #expect(try Self.json(" \n\t\r[ true , false , null , { } , [ ] ]\n ")
            == .array([.bool(true), .bool(false), .null, .object([:]), .array([])]))
    }

    @Test("a string written by CanonicalJSONWriter reads back unchanged")
    func writerEscapes() throws {
        var text = ""
        for value in [0, 1, 8, 9, 10, 12, 13, 31, 34, 47, 92, 127, 0xE9, 0x2028, 0x2029, 0xFFFD, 0x1F600] {
            text.unicodeScalars.append(Unicode.Scalar(value)!)
        }
        let written = CanonicalJSONWriter().write(.string(text))
        #expect(try ArtifactReader.json(written) == .string(text))
    }

    // MARK: Errors

    @Test("malformed JSON throws with a position", arguments: [
        ("", 1, 1),
        ("{", 1, 2),
        ("[1, 2", 1, 6),
        ("[1 2]", 1, 4),
        ("[1,]", 1, 4),
        ("{\"a\" 1}", 1, 6),
        ("{\"a\": 1,}", 1, 9),
        ("{a: 1}", 1, 2),
        ("{\n  \"a\": 1,\n  \"a\": 2\n}", 3, 3),
        ("[01]", 1, 2),
        ("[1.]", 1, 4),
        ("[1e]", 1, 4),
        ("[-]", 1, 2),
        ("[+1]", 1, 2),
        ("tru", 1, 1),
        ("nul", 1, 1),
        ("\"abc", 1, 1),
        ("\"a\nb\"", 1, 3),
        ("\"\\x\"", 1, 2),
        ("\"\\u12\"", 1, 2),
        ("\"\\ud800\"", 1, 2),
        ("\"\\udc00\"", 1, 2),
        ("\"\\ud800\\u0041\"", 1, 2),
        ("{}\n x", 2, 2),
        ("1e99999", 1, 1),
        ("[\"é\", ✓]", 1, 7),
    ])
    func malformedJSON(input: String, line: Int, column: Int) {
        #expect {
            try Self.json(input)
        } throws: { error in
            guard let error = error as? ArtifactReadError else { return false }
            return error.line == line && error.column == column
        }
    }

    @Test("invalid UTF-8 in a JSON string throws at the bad byte")
    func invalidUTF8() throws {
        let error = #expect(throws: ArtifactReadError.self) {
            try ArtifactReader.json(Data([0x5B, 0x0A, 0x22, 0x61, 0xFF, 0x22, 0x5D]))
        }
        #expect(error?.line == 2)
        #expect(error?.column == 3)
        #expect(throws: ArtifactReadError.self) { try ArtifactReader.json(Data([0x22, 0x5C, 0x6E, 0xC3, 0x22])) }
        #expect(throws: ArtifactReadError.self) { try ArtifactReader.yamlDocuments(Data([0x61, 0x3A, 0x20, 0xED, 0xA0, 0x80])) }
    }

    @Test("nesting deeper than 512 levels throws; 512 levels read")
    func depthLimit() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try Self.json(ok) }
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = #expect(throws: ArtifactReadError.self) { try Self.json(deep) }
        #expect(error?.column == 513)
        let yamlDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(throws: ArtifactReadError.self) { try Self.yaml(yamlDeep) }
    }

    @Test("malformed YAML throws with a position")
    func malformedYAML() {
        let cases: [(String, Int, Int)] = [
            ("a: 1\nb: [1, 2\n", 3, 1),
            ("a: \"open\n", 2, 1),
            ("a: 1\na: 2\n", 1, 1),
            ("? [1]\n: x\n", 1, 3),
            ("a: !custom 1\n", 1, 4),
            ("a: .inf\n", 1, 4),
            ("a: 1e99999\n", 1, 4),
            ("a: !!int x\n", 1, 4),
        ]
        for (input, line, column) in cases {
            let error = #expect(throws: ArtifactReadError.self, "\(input.debugDescription)") { try Self.yaml(input) }
            #expect(error?.line == line && error?.column == column, "\(input.debugDescription): \(String(describing: error))")
        }
    }

    @Test("read picks the format by extension and puts the path in errors")
    func readByExtension() throws {
        #expect(try ArtifactReader.read(Data("{\"a\": 1}".utf8), path: "azure/x.json") == [.object(["a": .int(1)])])
        #expect(try ArtifactReader.read(Data("a: 1\n---\nb: 2\n".utf8), path: "k/x.yml").count == 2)
        #expect(try ArtifactReader.read(Data("a: 1\n".utf8), path: "k/x.YAML") == [.object(["a": .int(1)])])
        let error = #expect(throws: ArtifactReadError.self) { try ArtifactReader.read(Data("[1,".utf8), path: "azure/bad.json") }
        #expect(error?.description == "azure/bad.json:1:4: unexpected end of input")
        #expect(throws: ArtifactReadError.self) { try ArtifactReader.read(Data(), path: "notes.txt") }
    }
}
