import Foundation
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

@Suite("Explain")
struct ExplainTests {
    static func resolve() throws -> ResolvedEnvironment {
        let tree = try FixtureTree()
        try tree.write("vigil.yaml", isolatedConfig)
        try tree.write("baselines/a.yaml", baselineYAML("alerts:\n  cpu: \(alertYAML(extra: " owner: team-a,"))\n  mem: \(alertYAML())\n"))
        try tree.write("overlays/prod.yaml", overlayYAML("prod", "stage: production", "alerts:\n  cpu: {metric: {threshold: 90}}\n"))
        try tree.write("environments/acme-prod.yaml", mergeEnvironment + "overrides:\n  alerts:\n    cpu: {metric: {threshold: 85}, owner: null}\n    mem: null\n")
        let result = try Compiler().compile(Compiler.Options(root: tree.url))
        return try #require(result.environments.first)
    }

    /// The JSON report as written by the canonical writer, parsed back.
    static func json(_ item: String?) throws -> CanonicalValue {
        let tree = try #require(Explainer.json(try resolve(), item: item))
        return try ArtifactReader.json(CanonicalJSONWriter().write(tree))
    }

    static let schemaFile = PackagePaths.root.appendingPathComponent("docs/schemas/explain.schema.json")
    static let schemaDoc = PackagePaths.root.appendingPathComponent("docs/explain-schema.md")

    static func schema() throws -> CanonicalValue {
        try ArtifactReader.json(Data(contentsOf: schemaFile))
    }

    // MARK: - Text

    @Test("one item's provenance, found in its own collection, is the one the item list gives, for every item of the examples")
    func provenanceOfOneItem() throws {
        let result = try Compiler().compile(Compiler.Options(root: PackagePaths.root.appendingPathComponent("examples")))
        var collections = Set<String>()
        for environment in result.environments {
            for item in Explainer.items(environment) {
                #expect(Explainer.provenance(of: item.collection, item.id, in: environment) == item.provenance, "\(item.collection)/\(item.id)")
                collections.insert(item.collection)
            }
            #expect(Explainer.provenance(of: "alerts", "no-such-alert", in: environment) == nil)
            #expect(Explainer.provenance(of: "no-such-collection", "x", in: environment) == nil)
        }
        #expect(collections.isSuperset(of: ["alerts", "recordingRules", "retention", "requires", "collection", "probes", "monitors", "slos", "dashboards"]))
    }

    @Test("an item's fields show their origin and layer, the chain they overrode, newest first, and removed fields")
    func item() throws {
        let text = try #require(Explainer.text(try Self.resolve(), item: "cpu"))
        #expect(text.contains("alerts/cpu  defined at baselines/a.yaml:5:3 (baseline)\n"))
        #expect(text.contains("  metric.threshold = 85  ← environments/acme-prod.yaml:"))
        let threshold = try #require(text.range(of: "metric.threshold = 85"))
        let rest = String(text[threshold.upperBound...])
        let overlay = try #require(rest.range(of: "over 90  ← overlays/prod.yaml:"))
        let baseline = try #require(rest.range(of: "over 95  ← baselines/a.yaml:"))
        #expect(overlay.lowerBound < baseline.lowerBound, "newest first")
        let thresholdLine = try #require(text.split(separator: "\n").first { $0.contains("metric.threshold = 85") })
        #expect(thresholdLine.hasSuffix(" (environment)"))
        let overlayLine = try #require(rest.split(separator: "\n").first { $0.contains("over 90") })
        #expect(overlayLine.hasSuffix(" (overlay)"))
        #expect(text.contains("  owner removed at environments/acme-prod.yaml:"))
        #expect(text.contains(", was team-a  ← baselines/a.yaml:"))
    }

    @Test("the environment view lists items with the files that changed them, the overrides and the removals")
    func environment() throws {
        let text = try #require(Explainer.text(try Self.resolve(), item: nil))
        #expect(text.contains(") defined at environments/acme-prod.yaml:"))
        #expect(text.contains("  alerts/cpu: baselines/a.yaml:5:3 (baseline); environments/acme-prod.yaml, overlays/prod.yaml\n"))
        #expect(text.contains("overrides (values that differ from where the item was defined):\n  alerts/cpu metric.threshold = 85 ← environments/acme-prod.yaml:"))
        #expect(text.contains("removed:\n  alerts/mem: defined at baselines/a.yaml:6:3 (baseline), removed at environments/acme-prod.yaml:"))
        #expect(Explainer.text(try Self.resolve(), item: "nope") == nil)
    }

    @Test(
        "a location's layer comes from its top-level folder, also inside the shipped library",
        arguments: [
            ("baselines/a.yaml", Explainer.Layer.baseline),
            ("library:/baselines/data/postgresql.yaml", .baseline),
            ("overlays/prod.yaml", .overlay),
            ("library:/overlays/stage/production.yaml", .overlay),
            ("environments/acme-prod.yaml", .environment),
            ("templates/replica-lag.yaml", .template),
            ("library:/templates/backup-target-age.yaml", .template),
            ("vigil.yaml", .other),
            ("baselines.yaml", .other),
            ("docs/baselines/a.yaml", .other),
        ])
    func layer(file: String, expected: Explainer.Layer) {
        #expect(Explainer.Layer(file: file) == expected)
    }

    // MARK: - JSON

    @Test("the JSON item view has every field with the full chain: baseline, then overlay, then environment override")
    func jsonItem() throws {
        let json = try Self.json("cpu")
        #expect(json["schemaVersion"] == .int(1))
        #expect(json["environment"]?["name"] == .string("acme-prod"))
        #expect(json["environment"]?["definedAt"]?["layer"] == .string("environment"))
        #expect(json["overrides"] == nil && json["removed"] == nil, "the item view has only the items")
        let items = try #require(json["items"]?.array)
        #expect(items.count == 1)
        let cpu = try #require(items.first)
        #expect(cpu["collection"] == .string("alerts") && cpu["id"] == .string("cpu"))
        #expect(cpu["definedAt"] == Self.location("baselines/a.yaml", 5, 3, "baseline"))
        #expect(cpu["changedBy"] == .array([.string("environments/acme-prod.yaml"), .string("overlays/prod.yaml")]))

        let fields = try #require(cpu["fields"]?.array)
        let threshold = try #require(fields.first { $0["path"] == .string("metric.threshold") })
        #expect(threshold["value"] == .string("85"))
        #expect(threshold["setAt"]?["file"] == .string("environments/acme-prod.yaml"))
        #expect(threshold["setAt"]?["layer"] == .string("environment"))
        let chain = try #require(threshold["overridden"]?.array)
        #expect(chain.map { $0["value"] } == [.string("90"), .string("95")], "newest first, as in the text")
        #expect(chain.map { $0["setAt"]?["file"] } == [.string("overlays/prod.yaml"), .string("baselines/a.yaml")])
        #expect(chain.map { $0["setAt"]?["layer"] } == [.string("overlay"), .string("baseline")])
        let untouched = try #require(fields.first { $0["path"] == .string("title") })
        #expect(untouched["overridden"] == .array([]))
        #expect(fields.first { $0["path"] == .string("owner") } == nil, "a removed field is not a field")

        let removed = try #require(cpu["removedFields"]?.array)
        #expect(removed.count == 1)
        #expect(removed.first?["path"] == .string("owner"))
        #expect(removed.first?["value"] == .string("team-a"))
        #expect(removed.first?["setAt"]?["layer"] == .string("baseline"))
        #expect(removed.first?["removedAt"]?["file"] == .string("environments/acme-prod.yaml"))

        // The text and JSON views agree on the line and column of every field.
        let text = try #require(Explainer.text(try Self.resolve(), item: "cpu"))
        for field in fields {
            guard case .string(let path)? = field["path"], case .string(let value)? = field["value"],
                case .string(let file)? = field["setAt"]?["file"], case .int(let line)? = field["setAt"]?["line"],
                case .int(let column)? = field["setAt"]?["column"]
            else {
                Issue.record("malformed field \(field)")
                continue
            }
            #expect(text.contains("  \(path) = \(value)  ← \(file):\(line):\(column) "))
        }

        #expect(try Self.json("alerts/cpu") == json, "collection/id names the same item")
        #expect(Explainer.json(try Self.resolve(), item: "nope") == nil)
        #expect(Explainer.json(try Self.resolve(), item: "retention/cpu") == nil)
    }

    @Test("the JSON environment view lists items without fields, the overrides and the removed items")
    func jsonEnvironment() throws {
        let json = try Self.json(nil)
        let items = try #require(json["items"]?.array)
        #expect(items.map { $0["id"] } == [.string("cpu")], "mem was removed")
        #expect(items.first?["fields"] == nil && items.first?["removedFields"] == nil)
        #expect(items.first?["changedBy"] == .array([.string("environments/acme-prod.yaml"), .string("overlays/prod.yaml")]))

        let overrides = try #require(json["overrides"]?.array)
        let threshold = try #require(overrides.first { $0["path"] == .string("metric.threshold") })
        #expect(threshold["collection"] == .string("alerts") && threshold["id"] == .string("cpu"))
        #expect(threshold["value"] == .string("85"))
        #expect(threshold["overridden"]?.array?.map { $0["value"] } == [.string("90"), .string("95")])

        let removed = try #require(json["removed"]?.array)
        #expect(removed.count == 1)
        #expect(removed.first?["id"] == .string("mem"))
        #expect(removed.first?["definedAt"] == Self.location("baselines/a.yaml", 6, 3, "baseline"))
        #expect(removed.first?["removedAt"]?["layer"] == .string("environment"))
    }

    @Test("the JSON is deterministic: the same bytes on every run")
    func jsonDeterministic() throws {
        let writer = CanonicalJSONWriter()
        for item in [nil, "cpu"] as [String?] {
            let first = writer.write(try #require(Explainer.json(try Self.resolve(), item: item)))
            let second = writer.write(try #require(Explainer.json(try Self.resolve(), item: item)))
            #expect(first == second)
        }
    }

    // MARK: - Schema

    @Test("both JSON views validate against docs/schemas/explain.schema.json", arguments: [nil, "cpu"] as [String?])
    func jsonFollowsSchema(item: String?) throws {
        let errors = JSONSchemaCheck(root: try Self.schema()).validate(try Self.json(item))
        #expect(errors.isEmpty, "\(errors.joined(separator: "\n"))")
    }

    @Test("docs/explain-schema.md embeds exactly the schema file, and its examples follow it")
    func schemaDocument() throws {
        let schema = try Self.schema()
        let blocks = try Self.jsonBlocks(String(contentsOf: Self.schemaDoc, encoding: .utf8))
        let embedded = try #require(blocks["JSON Schema"]?.first, "docs/explain-schema.md needs a ```json block under '## JSON Schema'")
        #expect(try ArtifactReader.json(Data(embedded.utf8)) == schema, "copy docs/schemas/explain.schema.json into docs/explain-schema.md")
        let examples = blocks.filter { $0.key != "JSON Schema" }.flatMap(\.value)
        #expect(examples.count >= 2, "an example of each view")
        let validator = JSONSchemaCheck(root: schema)
        for example in examples {
            let errors = validator.validate(try ArtifactReader.json(Data(example.utf8)))
            #expect(errors.isEmpty, "an example in docs/explain-schema.md: \(errors.joined(separator: "\n"))")
        }
    }

    @Test("the schema's enums are the model's")
    func schemaEnums() throws {
        let schema = try Self.schema()
        let defs = schema["$defs"]
        #expect(defs?["location"]?["properties"]?["layer"]?["enum"] == .array(Explainer.Layer.allCases.map { .string($0.rawValue) }))
        #expect(defs?["environment"]?["properties"]?["tier"]?["enum"] == .array(Tier.allCases.map { .string($0.rawValue) }))
        #expect(defs?["environment"]?["properties"]?["stage"]?["enum"] == .array(Stage.allCases.map { .string($0.rawValue) }))
        #expect(schema["properties"]?["schemaVersion"]?["enum"] == .array([.int(Explainer.schemaVersion)]))
        let collections = CanonicalValue.array(Explainer.collections.map { .string($0) })
        for definition in ["item", "override"] {
            #expect(defs?[definition]?["properties"]?["collection"]?["enum"] == collections, "\(definition)")
        }
    }

    @Test("every item of the example fleet belongs to a collection the schema lists")
    func collectionsCovered() throws {
        let result = try Compiler().compile(Compiler.Options(root: PackagePaths.root.appendingPathComponent("examples")))
        let used = Set(result.environments.flatMap { Explainer.items($0).map(\.collection) })
        #expect(used.isSubset(of: Explainer.collections), "\(used.subtracting(Explainer.collections))")
        #expect(Explainer.collections == Explainer.collections.sorted())
    }

    @Test("the schema checker rejects what the schema forbids")
    func validatorRejects() throws {
        let validator = JSONSchemaCheck(root: try Self.schema())
        guard case .object(var document) = try Self.json("cpu") else { throw ExplainTestError.notAnObject }
        #expect(validator.validate(.object(document)).isEmpty)

        var extra = document
        extra["unexpected"] = .bool(true)
        #expect(validator.validate(.object(extra)) == ["$: unexpected member 'unexpected'"])

        var missing = document
        missing["environment"] = nil
        #expect(validator.validate(.object(missing)) == ["$: missing required member 'environment'"])

        document["schemaVersion"] = .string("1")
        #expect(validator.validate(.object(document)).contains("$.schemaVersion: expected integer, found string"))
        document["schemaVersion"] = .int(2)
        #expect(validator.validate(.object(document)) == ["$.schemaVersion: 2 is not one of [1]"])

        let location: CanonicalValue = .object(["$ref": .string("#/$defs/location")])
        #expect(validator.validate(Self.location("a.yaml", 0, 1, "other"), against: location) == ["$.line: 0 is below the minimum 1"])
        #expect(validator.validate(Self.location("a.yaml", 1, 1, "library"), against: location) == [#"$.layer: "library" is not one of ["baseline","overlay","environment","template","other"]"#])
        #expect(validator.validate(.string("x"), against: .object(["pattern": .string(".*")])) == ["$: unsupported schema keyword 'pattern'"])
    }

    // MARK: - Helpers

    static func location(_ file: String, _ line: Int, _ column: Int, _ layer: String) -> CanonicalValue {
        .object(["file": .string(file), "line": .int(line), "column": .int(column), "layer": .string(layer)])
    }

    /// The ```json blocks of a Markdown document, by the `## ` heading they are under.
    static func jsonBlocks(_ markdown: String) throws -> [String: [String]] {
        var blocks: [String: [String]] = [:]
        var heading = ""
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if var block = current {
                if line == "```" {
                    blocks[heading, default: []].append(block.joined(separator: "\n"))
                    current = nil
                } else {
                    block.append(line)
                    current = block
                }
            } else if line.hasPrefix("## ") {
                heading = String(line.dropFirst(3))
            } else if line == "```json" {
                current = []
            }
        }
        if current != nil { throw ExplainTestError.unterminatedBlock }
        return blocks
    }
}

extension ExplainTests {
    enum ExplainTestError: Error {
        case notAnObject
        case unterminatedBlock
    }
}
