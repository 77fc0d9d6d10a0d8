import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

/// Every reporter's output for one fixed diagnostic set (and for none) against
/// `Fixtures/Reporters/<identifier>[-empty].<ext>`; regenerate with
/// `UPDATE_GOLDEN=1 swift test --filter ReporterTests`, then run again without the variable.
@Suite("Diagnostic reporters", .serialized)
struct ReporterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/Reporters")
    static let sarifSchema = PackagePaths.root.appendingPathComponent("../shared/schemas/sarif/sarif-schema-2.1.0.json").standardizedFileURL

    /// One set that exercises every branch: locations in the root and in the library, none,
    /// hint, notes with and without a place, every severity, characters every format must escape,
    /// two findings of one rule in one file, and an exact duplicate (reported once).
    static let sample: [Diagnostic] = {
        let error = Diagnostic(
            "schema/unknown-key", "unknown key \"tresholds\" in <criteria> & 'dimensions'",
            at: SourceSpan(file: "overlays/prod/alerts.yaml", line: 14, column: 9),
            hint: "did you mean 'threshold'? 100% sure, really: yes",
            notes: [
                DiagnosticNote("baseline value defined here", at: SourceSpan(file: "library:/baselines/data/redis.yaml", line: 3, column: 1)),
                DiagnosticNote("overlays apply in order: base, prod"),
            ])
        return [
            Diagnostic("schema/unknown-key", severity: .warning, "unknown key 'x:y,z' ignored",
                       at: SourceSpan(file: "overlays/prod/alerts.yaml", line: 20, column: 5)),
            error,
            Diagnostic("policy/retention-minimum-days", severity: .warning,
                       "retention of 7 days is below the minimum of 30\nset it in vigil.yaml or add a waiver", at: nil),
            Diagnostic("render/unsupported-aggregation", severity: .note,
                       "aggregation 'p99' falls back to \"max\" (> 50%,\ttab, bell \u{07}, crlf\r\nend)",
                       at: SourceSpan(file: "environments/acme prod.yaml", line: 2, column: 5)),
            Diagnostic("policy/alert-requires-runbook", "alert 'pg-down' has no runbook",
                       at: SourceSpan(file: "library:/baselines/data/postgresql.yaml", line: 12, column: 3),
                       hint: "add 'runbook: https://…' to the alert"),
            error,
        ]
    }()

    static let fileExtensions = ["github": "txt", "json": "json", "junit": "xml", "sarif": "sarif", "text": "txt"]
    static let emptyGoldens = ["json", "junit", "sarif"]

    /// The reporter under test; SARIF pins its tool version so that a release does not change the golden.
    static func reporter(_ identifier: String) throws -> any DiagnosticReporter {
        if identifier == SARIFReporter.identifier { return SARIFReporter(toolVersion: "0.0.0-golden") }
        return try #require(Reporters.reporter(named: identifier))
    }

    static func golden(_ identifier: String, empty: Bool = false) -> URL {
        fixtures.appendingPathComponent("\(identifier)\(empty ? "-empty" : "").\(fileExtensions[identifier] ?? "txt")")
    }

    /// The golden file the format checks read. In update mode it is first rewritten from the
    /// current output, so the checks never read a stale or half-written file.
    static func recorded(_ identifier: String, empty: Bool = false) throws -> URL {
        let url = golden(identifier, empty: empty)
        if GoldenFile.isUpdating {
            check(try reporter(identifier).report(empty ? [] : sample), against: url)
        }
        return url
    }

    static func check(_ report: String, against url: URL) {
        if let failure = GoldenFile.compare(Data(report.utf8), expected: url) {
            Issue.record(Comment(rawValue: failure))
        }
    }

    // MARK: - Registry

    @Test("the registry is sorted, unique and has every format")
    func registry() {
        let identifiers = Reporters.identifiers
        #expect(identifiers == identifiers.sorted())
        #expect(Set(identifiers).count == identifiers.count)
        #expect(Set(["text", "json", "sarif", "github", "junit"]).isSubset(of: identifiers))
        #expect(Set(identifiers) == Set(Self.fileExtensions.keys), "add a golden extension for new reporters")
        for identifier in identifiers {
            #expect(Reporters.reporter(named: identifier).map { type(of: $0).identifier } == identifier)
        }
        #expect(Reporters.reporter(named: "xml") == nil)
        #expect(SARIFReporter().toolVersion == Compiler.version)
    }

    // MARK: - Goldens and determinism

    @Test("the report matches the golden file", arguments: Reporters.identifiers)
    func golden(_ identifier: String) throws {
        Self.check(try Self.reporter(identifier).report(Self.sample), against: Self.golden(identifier))
    }

    @Test("the report of no diagnostics matches the golden file", arguments: emptyGoldens)
    func goldenEmpty(_ identifier: String) throws {
        Self.check(try Self.reporter(identifier).report([]), against: Self.golden(identifier, empty: true))
    }

    @Test("the report does not depend on input order", arguments: Reporters.identifiers)
    func orderIndependent(_ identifier: String) throws {
        let reporter = try Self.reporter(identifier)
        let expected = reporter.report(Self.sample)
        #expect(reporter.report(Self.sample.reversed()) == expected)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            #expect(reporter.report(Self.sample.shuffled(using: &generator)) == expected)
        }
    }

    // MARK: - Format checks on the goldens

    @Test("the JSON goldens parse and follow the schema")
    func jsonParses() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.recorded("json"))) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 5, "the duplicate is reported once")
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["errors": 2, "warnings": 2, "notes": 1])
        let first = try #require(diagnostics.first)
        #expect(first["location"] == nil, "diagnostics without a place sort first and have no location key")
        #expect(first["message"] as? String == "retention of 7 days is below the minimum of 30\nset it in vigil.yaml or add a waiver")
        let error = try #require(diagnostics.first { $0["id"] as? String == "schema/unknown-key" })
        let notes = try #require(error["notes"] as? [[String: Any]])
        #expect(notes.count == 2)
        #expect((notes[0]["location"] as? [String: Any])?["file"] as? String == "library:/baselines/data/redis.yaml")
        #expect(notes[1]["location"] == nil)

        let empty = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.recorded("json", empty: true))) as? [String: Any])
        #expect((empty["diagnostics"] as? [Any])?.isEmpty == true)
        #expect(empty["summary"] as? [String: Int] == ["errors": 0, "warnings": 0, "notes": 0])
    }

    @Test("the SARIF goldens validate against the SARIF 2.1.0 schema", arguments: [false, true])
    func sarifValidates(_ empty: Bool) throws {
        let report = try Self.recorded("sarif", empty: empty)
        #expect(FileManager.default.fileExists(atPath: Self.sarifSchema.path), "schema missing at \(Self.sarifSchema.path)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))",
            Self.sarifSchema.path, report.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            Issue.record("could not run python3 to validate \(report.lastPathComponent): \(error)")
            return
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(report.lastPathComponent) is not valid SARIF 2.1.0 (python3 with jsonschema is required):\n\(text)")
    }

    @Test("the SARIF log has a sorted rules table, indices into it and relative locations")
    func sarifShape() throws {
        let log = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.recorded("sarif"))) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        #expect(log["$schema"] as? String == SARIFReporter.schemaURI)
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let ids = rules.compactMap { $0["id"] as? String }
        #expect(ids == ids.sorted() && ids.count == 4)
        #expect(rules.first { $0["id"] as? String == "schema/unknown-key" }?["name"] as? String == "UnknownKey")
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 5)
        for result in results {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(ids[index] == result["ruleId"] as? String)
        }
        let text = try String(contentsOf: Self.recorded("sarif"), encoding: .utf8)
        #expect(text.contains("\"uriBaseId\": \"LIBRARY\"") && text.contains("\"uriBaseId\": \"ROOT\""))
        #expect(text.contains("\"uri\": \"environments/acme%20prod.yaml\""))
        #expect(!text.contains("file:///") && !text.contains("library:/"), "no absolute or library: URIs")
    }

    @Test("GitHub workflow commands escape data and properties and skip library files")
    func githubLines() throws {
        let lines = try String(contentsOf: Self.recorded("github"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "", "ends with one newline")
        let commands = lines.dropLast()
        #expect(commands.count == 5)
        #expect(commands.allSatisfy { $0.hasPrefix("::error ") || $0.hasPrefix("::warning ") || $0.hasPrefix("::notice ") })
        #expect(commands.contains { $0.hasPrefix("::error title=policy/alert-requires-runbook::library:/baselines/data/postgresql.yaml:12:3: ") })
        #expect(commands.contains { $0.hasPrefix("::warning title=policy/retention-minimum-days::") && $0.contains("30%0Aset it") })
        #expect(commands.contains { $0.hasPrefix("::notice file=environments/acme prod.yaml,line=2,col=5,title=render/unsupported-aggregation::") && $0.contains("> 50%25,") && $0.contains("crlf%0D%0Aend") })
        #expect(!commands.contains { $0.contains("file=library") })
        #expect(GitHubReporter().report([]) == "")
        let property = GitHubReporter().report([Diagnostic("a/b", "m", at: SourceSpan(file: "a,b:c%d.yaml", line: 1, column: 1))])
        #expect(property == "::error file=a%2Cb%3Ac%25d.yaml,line=1,col=1,title=a/b::m [a/b]\n")
    }

    @Test("the JUnit goldens are well-formed XML with the documented counts", arguments: [false, true])
    func junitParses(_ empty: Bool) throws {
        let data = try Data(contentsOf: Self.recorded("junit", empty: empty))
        let collector = XMLCollector()
        let parser = XMLParser(data: data)
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        let root = try #require(collector.elements.first)
        #expect(root.name == "testsuites")
        #expect(root.attributes["name"] == "vigil")
        let testcases = collector.elements.filter { $0.name == "testcase" }
        let failures = collector.elements.filter { $0.name == "failure" }
        #expect(root.attributes["tests"] == String(testcases.count))
        #expect(root.attributes["failures"] == String(failures.count))
        if empty {
            #expect(testcases.map { $0.attributes["name"] } == ["vigil check"])
            #expect(failures.isEmpty)
        } else {
            // (no location) + alerts.yaml for two rules' files, the library file, and the note-only file.
            #expect(testcases.count == 4)
            #expect(failures.count == 3, "the note-only testcase passes")
            let suites = collector.elements.filter { $0.name == "testsuite" }.compactMap { $0.attributes["name"] }
            #expect(suites == suites.sorted())
            let unknownKey = try #require(failures.first { $0.attributes["message"] == "1 error, 1 warning" })
            #expect(unknownKey.attributes["type"] == "error")
            #expect(collector.text.contains("unknown key \"tresholds\" in <criteria> & 'dimensions'"))
            #expect(collector.text.contains("bell \\u0007"), "forbidden control characters become visible text")
        }
    }
}

/// Records start tags and all character data.
private final class XMLCollector: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    var elements: [Element] = []
    var text = ""

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        elements.append(Element(name: elementName, attributes: attributeDict))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }
}

@Suite("Text reporter source excerpts")
struct TextExcerptTests {
    @Test("the source line is shown with a caret under the column, tabs kept for alignment")
    func caret() {
        let diagnostic = Diagnostic(
            "schema/invalid-value", "'stagign' is not a valid value for 'stage'",
            at: SourceSpan(file: "environments/a.yaml", line: 2, column: 9), hint: "did you mean 'staging'?")
        let report = TextReporter(sources: ["environments/a.yaml": "name: a\n\tstage: stagign\n"]).report([diagnostic])
        #expect(report == """
            environments/a.yaml:2:9: error: 'stagign' is not a valid value for 'stage' [schema/invalid-value]
              | \tstage: stagign
              | \t       ^
              hint: did you mean 'staging'?
            1 error, 0 warnings

            """)
    }
}
