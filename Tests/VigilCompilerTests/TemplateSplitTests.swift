import Foundation
import Testing
@testable import VigilCompiler
import VigilModel
import VigilTestSupport

/// The ARM renderer's split, on an example environment with every kind of ARM resource (action
/// groups rendered here, metric, log and activity-log alerts): the split templates hold exactly
/// the single template's resources, grouped as documented, without cross-template `dependsOn`.
@Suite("ARM template split")
struct TemplateSplitTests {
    static func environment() throws -> ResolvedEnvironment {
        let root = PackagePaths.root.appendingPathComponent("examples")
        let result = try Compiler().compile(Compiler.Options(root: root, environments: ["acme-prod"]))
        #expect(!result.diagnostics.hasErrors)
        return try #require(result.environments.first)
    }

    static func resources(_ document: ArtifactDocument) throws -> [CanonicalValue] {
        #expect(document.value == nil, "metric and log alerts are written as bytes")
        guard case .object(let template) = try ArtifactReader.json(document.bytes()), case .array(let resources)? = template["resources"]
        else { return [] }
        return resources
    }

    static func string(_ value: CanonicalValue, _ path: String...) -> String? {
        var current: CanonicalValue? = value
        for key in path {
            guard case .object(let fields)? = current else { return nil }
            current = fields[key]
        }
        if case .string(let s)? = current { return s }
        return nil
    }

    static func render(limit: Int, byteLimit: Int) throws -> (single: [CanonicalValue], split: [ArtifactDocument]) {
        let environment = try Self.environment()
        var diagnostics = Diagnostics()
        let single = ARMTemplateRenderer().render(environment, diagnostics: &diagnostics)
        let split = ARMTemplateRenderer().render(environment, limit: limit, byteLimit: byteLimit, diagnostics: &diagnostics)
        #expect(diagnostics.all.isEmpty)
        #expect(single.map(\.path) == ["azure/alerts.json"])
        return (try resources(single[0]), split)
    }

    @Test("over the resource limit: action groups first, alerts by layer in name order, at most the limit each, no dependsOn")
    func split() throws {
        let (single, documents) = try Self.render(limit: 10, byteLimit: 4_000_000)
        let kinds = Set(single.compactMap { Self.string($0, "type") })
        #expect(kinds == [
            "Microsoft.Insights/actionGroups", "Microsoft.Insights/activityLogAlerts", "Microsoft.Insights/metricAlerts",
            "Microsoft.Insights/scheduledQueryRules",
        ])
        #expect(single.contains { if case .object(let r) = $0 { return r["dependsOn"] != nil } else { return false } })
        #expect(documents.first?.path == "azure/action-groups.json")
        let groups = single.filter { Self.string($0, "type") == "Microsoft.Insights/actionGroups" }
        #expect(try Self.resources(documents[0]) == groups)
        // The single template's alerts without dependsOn, grouped by layer (stable), are the chunks in order.
        var byLayer: [String: [CanonicalValue]] = [:]
        for resource in single where Self.string(resource, "type") != "Microsoft.Insights/actionGroups" {
            guard case .object(var fields) = resource else { continue }
            fields["dependsOn"] = nil
            byLayer[Self.string(resource, "tags", "vigil-layer") ?? "other", default: []].append(.object(fields))
        }
        var expectedPaths: [String] = []
        for layer in byLayer.keys.sorted() {
            let chunks = (byLayer[layer]!.count + 9) / 10
            expectedPaths += (1...chunks).map { $0 == 1 ? "azure/alerts-\(layer).json" : "azure/alerts-\(layer)-\($0).json" }
        }
        #expect(documents.dropFirst().map(\.path) == expectedPaths)
        let chunks = try documents.dropFirst().map(Self.resources)
        #expect(chunks.allSatisfy { $0.count <= 10 })
        #expect(chunks.flatMap { $0 } == byLayer.keys.sorted().flatMap { byLayer[$0]! })
        #expect(!documents.dropFirst().contains { String(decoding: $0.bytes(), as: UTF8.self).contains("dependsOn") })
    }

    @Test("over the byte limit: chunks stay within it, measured as each resource written on its own")
    func bytes() throws {
        let (single, documents) = try Self.render(limit: 800, byteLimit: 12_000)
        #expect(documents.count > 3)
        let chunks = try documents.dropFirst().map(Self.resources)
        #expect(chunks.map(\.count).reduce(0, +) == single.count - (try Self.resources(documents[0]).count))
        for (document, resources) in zip(documents.dropFirst(), chunks) {
            let sizes = resources.map { CanonicalJSONWriter().write($0).count }
            #expect(sizes.reduce(0, +) <= 12_000 || resources.count == 1, "\(document.path) holds \(sizes.reduce(0, +)) bytes")
        }
    }
}

@Suite("ARM metric scopes")
struct MetricScopeTests {
    @Test("a subscription or a resource group is a container scope; a resource, or anything longer, is not")
    func containers() {
        let containers = [
            "/subscriptions/00000000-0000-0000-0000-000000000001", "/subscriptions/s/resourceGroups/rg-a",
            "/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg-a/", "/subscriptions/s/resourcegroups/rg-a",
        ]
        let resources = [
            "/subscriptions/s/resourceGroups/rg-a/providers/Microsoft.Cache/Redis/redis-a", "/subscriptions/s/providers/x",
            "/providers/Microsoft.Management/managementGroups/mg", "/subscriptions", "/subscriptions/s/resourceGroups",
            "/tenants/t/resourceGroups/rg", "",
        ]
        #expect(containers.allSatisfy(ARMTemplateRenderer.isContainerScope))
        #expect(!resources.contains(where: ARMTemplateRenderer.isContainerScope))
    }
}
