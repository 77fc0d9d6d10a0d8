import Foundation
import Testing
import VigilCompiler
import VigilTestSupport

@Suite("Canonical writers")
struct CanonicalWriterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/Writers")

    /// One tree that exercises every case: key order, escapes, YAML 1.1 traps, numbers, empties.
    static let sample: CanonicalValue = .object([
        "zeta": .string("last"),
        "alpha": .string("first"),
        "Beta": .string("capital sorts before lowercase"),
        "yes": .string("on"),
        "no": .bool(false),
        "numbers": .array([.int(0), .int(-42), .decimal(Decimal(string: "95.50")!), .decimal(Decimal(string: "1.10")!),
                           .decimal(Decimal(string: "1000000")!), .decimal(Decimal(string: "-0.001")!)]),
        "escapes": .string("quote \" backslash \\ slash / tab \t newline \n bell \u{07} é ✓"),
        "empty": .fields(["list": .array([]), "map": .object([:]), "string": .string("")]),
        "nested": .array([
            .object(["name": .string("a"), "values": .array([.string("*")])]),
            .array([.string("inner"), .null]),
        ]),
        "key with space": .string("quoted key"),
        "1numeric": .string("key starting with a digit"),
        "version": .string("1.10"),
        "nothing": .null,
    ])

    @Test("JSON matches the golden file")
    func json() {
        let bytes = CanonicalJSONWriter().write(Self.sample)
        if let failure = GoldenFile.compare(bytes, expected: Self.fixtures.appendingPathComponent("sample.json")) {
            Issue.record(Comment(rawValue: failure))
        }
    }

    @Test("YAML matches the golden file")
    func yaml() {
        let bytes = CanonicalYAMLWriter().write(documents: [Self.sample, .fields(["second": .string("document")])])
        if let failure = GoldenFile.compare(bytes, expected: Self.fixtures.appendingPathComponent("sample.yaml")) {
            Issue.record(Comment(rawValue: failure))
        }
    }

    @Test("JSON output parses back to the same data with Foundation")
    func jsonRoundTrip() throws {
        let bytes = CanonicalJSONWriter().write(Self.sample)
        let object = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        #expect(object["escapes"] as? String == "quote \" backslash \\ slash / tab \t newline \n bell \u{07} é ✓")
        #expect(object.keys.count == 13)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("}\n") && !text.hasSuffix("\n\n"))
        #expect(!text.contains("\\/"))
        #expect(!text.contains("\r"))
    }

    @Test("object keys are written in UTF-8 byte order whatever order they were built in")
    func keyOrder() {
        var forward: [String: CanonicalValue] = [:]
        var backward: [String: CanonicalValue] = [:]
        let keys = (0..<200).map { "key-\($0)" }
        for key in keys { forward[key] = .int(1) }
        for key in keys.reversed() { backward[key] = .int(1) }
        #expect(CanonicalJSONWriter().write(.object(forward)) == CanonicalJSONWriter().write(.object(backward)))
        #expect(CanonicalYAMLWriter().write(.object(forward)) == CanonicalYAMLWriter().write(.object(backward)))
    }

    @Test("an object keeps its members in key order however it is built or changed; a repeated field keeps its last value")
    func objectMembers() {
        let keys = (0..<50).map { "k\($0 * 7 % 50)" } + ["é", "Z", "a"]
        var built = CanonicalObject()
        for key in keys { built[key] = .string(key) }
        let expected = keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(built.keys == expected)
        #expect(built == CanonicalObject(Dictionary(uniqueKeysWithValues: keys.map { ($0, CanonicalValue.string($0)) })))
        built["k3"] = .int(3)
        built["k4"] = nil
        built["missing"] = nil
        #expect(built["k3"] == .int(3) && built["k4"] == nil && built.count == keys.count - 1)
        #expect(built.keys == expected.filter { $0 != "k4" })
        #expect(CanonicalValue.fields(["b": .int(1), "a": nil, "b": .int(2), "c": .null]) == .object(["b": .int(2), "c": .null]))
        #expect(CanonicalObject(["x": .int(1), "y": .int(2)]).mapValues { _ in .bool(true) } == ["x": .bool(true), "y": .bool(true)])
    }

    @Test("decimals have one format", arguments: [
        ("95", "95"), ("95.0", "95"), ("95.50", "95.5"), ("-0", "0"), ("0.000", "0"), ("1e3", "1000"),
        ("0.001", "0.001"), ("-12.340", "-12.34"), ("10737418240", "10737418240"),
    ])
    func decimalFormat(_ input: String, _ expected: String) throws {
        let value = try #require(Decimal(string: input))
        // The second call is answered from the cache of formatted values.
        #expect(CanonicalValue.format(value) == expected)
        #expect(CanonicalValue.format(value) == expected)
    }

    @Test("a string map with entries set over it: an entry replaces the map's key, a nil entry leaves it, order is canonical")
    func stringsSetting() {
        let base = ["team": "data", "vigil-item": "from-env", "vigil-layer": "kept", "Zone": "1"]
        let value = CanonicalValue.strings(base, setting: ["vigil-item": "cpu", "vigil-layer": nil, "vigil-environment": "acme-prod"])
        var expected = base
        expected["vigil-item"] = "cpu"
        expected["vigil-environment"] = "acme-prod"
        #expect(value == .strings(expected))
        #expect(CanonicalJSONWriter().compact(value) == #"{"Zone":"1","team":"data","vigil-environment":"acme-prod","vigil-item":"cpu","vigil-layer":"kept"}"#)
        #expect(CanonicalValue.strings([:], setting: ["a": nil]) == .strings([:]))
    }

    @Test("strings are escaped the same wherever the special byte falls in the eight-byte scan")
    func escapesAtEveryOffset() {
        // Every byte value alone, then every special character, at each offset of a long string.
        let specials: [String] = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) } + ["é", "\u{2028}", "\u{FEFF}", "\u{85}", "✓"]
        for special in specials {
            for offset in 0..<17 {
                let text = String(repeating: "a", count: offset) + special + String(repeating: "b", count: 20 - offset)
                let json = CanonicalJSONWriter().write(.string(text))
                #expect(json == Data((Self.referenceJSON(text) + "\n").utf8), "\(special.unicodeScalars.map(\.value)) at \(offset)")
                // (Foundation's reader drops a byte-order mark that opens the text.)
                if !text.hasPrefix("\u{FEFF}") {
                    let back = try? JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed]) as? String
                    #expect(back == text)
                }
            }
        }
    }

    /// JSON escaping one character at a time, as the writer documents it.
    static func referenceJSON(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x2028: out += "\\u2028"
            case 0x2029: out += "\\u2029"
            case 0..<0x20, 0x7F: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test("YAML quotes every string and keys that YAML 1.1 would misread")
    func yamlQuoting() {
        let text = String(decoding: CanonicalYAMLWriter().write(.object(["on": .string("no"), "plain-key": .string("1.10")])), as: UTF8.self)
        #expect(text == "\"on\": \"no\"\nplain-key: \"1.10\"\n")
    }

    @Test("non-ASCII keys sort by UTF-8 bytes and rare characters are escaped the same way by both writers")
    func bytesAndEscapes() {
        let value: CanonicalValue = .object([
            "é": .string("line\u{2028}separator"), "z": .string("c1 \u{85} control"), "Z": .string("bom \u{FEFF} del \u{7F}"),
            "ä": .string("ünïcödé ✓"), "😀": .string("plain"),
        ])
        let json = String(decoding: CanonicalJSONWriter().write(value), as: UTF8.self)
        #expect(json == """
            {
              "Z": "bom \u{FEFF} del \\u007f",
              "z": "c1 \u{85} control",
              "ä": "ünïcödé ✓",
              "é": "line\\u2028separator",
              "😀": "plain"
            }

            """)
        let yaml = String(decoding: CanonicalYAMLWriter().write(value), as: UTF8.self)
        #expect(yaml == """
            Z: "bom \\uFEFF del \\x7F"
            z: "c1 \\x85 control"
            "ä": "ünïcödé ✓"
            "é": "line\\u2028separator"
            "😀": "plain"

            """)
    }
}
