import Foundation
import Testing
@testable import VigilCompiler
import VigilModel
import VigilTestSupport

/// A baseline that requires the audit export and provides it.
let exportBaseline = """
    apiVersion: vigil/v1
    kind: Baseline
    name: audit
    requires:
      audit.immutable-export: {description: audit tables are exported to immutable storage}
    exports:
      audit-archive:
        tables: [StorageBlobLogs, AzureActivity, SecurityAlert, AzureActivity]
        destination: audit-archive
        covers: [audit.immutable-export]

    """

/// An environment with an immutable storage account; `resources` adds keys, `extra` fields.
func exportEnvironment(workspace: Bool = true, archive: String? = nil, extra: String = "") -> String {
    let sub = "/subscriptions/00000000-0000-0000-0000-000000000007/resourceGroups/rg-clinic-prod/providers"
    return """
        apiVersion: vigil/v1
        kind: Environment
        name: clinic-prod
        tier: dedicated
        stage: production
        region: germanywestcentral
        azure:
          subscriptionId: 00000000-0000-0000-0000-000000000007
          resourceGroup: rg-clinic-prod
        \(workspace ? "  workspace: law-clinic-prod\n" : "")  resources:
            audit-archive: \(archive ?? "\(sub)/Microsoft.Storage/storageAccounts/stclinicaudit")
            postgresql: \(sub)/Microsoft.DBforPostgreSQL/flexibleServers/psql-clinic-prod

        """ + extra
}

@Suite("Data exports")
struct DataExportTests {
    static func compile(baseline: String = exportBaseline, environment: String) throws -> (Compiler.Result, [SourceSpan]) {
        let tree = try FixtureTree()
        try tree.write("vigil.yaml", isolatedConfig)
        var markers: [SourceSpan] = []
        for (path, text) in [("baselines/audit.yaml", baseline), ("environments/clinic-prod.yaml", environment)] {
            let marked = MarkedText(text)
            markers += marked.markers.map { SourceSpan(file: path, start: $0) }
            try tree.write(path, marked.text)
        }
        return (try Compiler().compile(Compiler.Options(root: tree.url)), markers)
    }

    @Test("an export renders one dataExports rule: <workspace>/<id>, the storage account, tables sorted and unique, enabled")
    func render() throws {
        let (result, _) = try Self.compile(environment: exportEnvironment())
        let output = try #require(result.outputs.first, "\(result.diagnostics.sorted)")
        let file = try #require(output.files.first { $0.path == "azure/data-exports.json" })
        let template = try #require(try JSONSerialization.jsonObject(with: file.bytes) as? [String: Any])
        let resources = try #require(template["resources"] as? [[String: Any]])
        #expect(resources.count == 1)
        let rule = resources[0]
        #expect(rule["type"] as? String == "Microsoft.OperationalInsights/workspaces/dataExports")
        #expect(rule["apiVersion"] as? String == "2025-07-01")
        #expect(rule["name"] as? String == "law-clinic-prod/audit-archive")
        #expect(rule["tags"] == nil, "dataExports take no tags")
        let properties = try #require(rule["properties"] as? [String: Any])
        #expect(properties["enable"] as? Bool == true)
        #expect(properties["tableNames"] as? [String] == ["AzureActivity", "SecurityAlert", "StorageBlobLogs"])
        #expect((properties["destination"] as? [String: String])?["resourceId"]
            == "/subscriptions/00000000-0000-0000-0000-000000000007/resourceGroups/rg-clinic-prod/providers/Microsoft.Storage/storageAccounts/stclinicaudit")
        #expect(try #require(result.environments.first).exports.map(\.id) == ["audit-archive"])
    }

    @Test("an environment without exports renders no data-exports.json")
    func none() throws {
        let (result, _) = try Self.compile(baseline: "apiVersion: vigil/v1\nkind: Baseline\nname: audit\n", environment: exportEnvironment())
        #expect(try #require(result.outputs.first).files.allSatisfy { $0.path != "azure/data-exports.json" })
    }

    /// Bad exports: baseline, environment (either marked), rule id, part of the message.
    static let invalid: [(name: String, baseline: String, environment: String, id: String, text: String)] = [
        (
            "an unknown destination key",
            exportBaseline.replacingOccurrences(of: "destination: audit-archive", with: "destination: ↓audit-archiv"),
            exportEnvironment(), "render/unknown-resource", "resource 'audit-archiv', which environment 'clinic-prod' does not define"
        ),
        (
            "a destination that is not a storage account",
            exportBaseline.replacingOccurrences(of: "destination: audit-archive", with: "destination: ↓postgresql"),
            exportEnvironment(), "render/export-destination", "neither a storage account nor an Event Hubs namespace"
        ),
        (
            "a destination key with two accounts",
            exportBaseline.replacingOccurrences(of: "destination: audit-archive", with: "destination: ↓audit-archive"),
            exportEnvironment(archive: "[/subscriptions/00000000-0000-0000-0000-000000000007/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sta, /subscriptions/00000000-0000-0000-0000-000000000007/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stb]"),
            "render/export-destination", "lists 2 ids"
        ),
        (
            "no workspace",
            exportBaseline, exportEnvironment(workspace: false), "render/no-workspace", "exports tables but names no workspace"
        ),
    ]

    @Test("bad exports are located errors", arguments: 0..<invalid.count)
    func diagnostics(_ index: Int) throws {
        let (name, baseline, environment, id, text) = Self.invalid[index]
        let (result, markers) = try Self.compile(baseline: baseline, environment: environment)
        let found = result.diagnostics.sorted.filter { $0.id.rawValue == id }
        #expect(found.count == 1, "\(name): \(result.diagnostics.sorted)")
        #expect(found.first?.message.contains(text) == true, "\(name): \(found)")
        if let marker = markers.first { #expect(found.first?.location == marker, "\(name): \(found)") }
        #expect(result.outputs.isEmpty)
    }

    @Test("an export covers a required signal; removing it fails the check at the removing line")
    func requiredSignal() throws {
        let (passing, _) = try Self.compile(environment: exportEnvironment())
        #expect(PolicyEngine(today: "2026-11-22").check(passing).sorted.filter { $0.id == "policy/required-signals" }.isEmpty)
        let (failing, markers) = try Self.compile(
            environment: exportEnvironment(extra: "overrides:\n  exports:\n    ↓audit-archive: null\n"))
        let findings = PolicyEngine(today: "2026-11-22").check(failing).sorted.filter { $0.id == "policy/required-signals" }
        #expect(findings.count == 1)
        #expect(findings.first?.location == markers.first)
        #expect(findings.first?.message.contains("'audit.immutable-export'") == true)
    }

    @Test("destinations: storage accounts and Event Hubs namespaces, nothing below them")
    func destinations() {
        let base = "/subscriptions/00000000-0000-0000-0000-000000000007/resourceGroups/rg/providers/"
        #expect(DataExportRenderer.isDestination(base + "Microsoft.Storage/storageAccounts/staudit"))
        #expect(DataExportRenderer.isDestination(base + "Microsoft.EventHub/namespaces/evh-audit"))
        #expect(!DataExportRenderer.isDestination(base + "Microsoft.Storage/storageAccounts/staudit/blobServices/default"))
        #expect(!DataExportRenderer.isDestination(base + "Microsoft.KeyVault/vaults/kv"))
    }
}
