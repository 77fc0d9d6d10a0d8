import Foundation
import Testing
@testable import VigilCompiler

@Suite("ARM template split")
struct TemplateSplitTests {
    static func alert(_ name: String, layer: String) -> CanonicalValue {
        .fields([
            "type": .string("Microsoft.Insights/metricAlerts"), "name": .string(name),
            "tags": .strings(["vigil-layer": layer]), "dependsOn": .array([.string("[resourceId('x')]")]),
        ])
    }
    static let group = CanonicalValue.fields(["type": .string("Microsoft.Insights/actionGroups"), "name": .string("g")])

    @Test("within the limits everything stays in alerts.json")
    func single() {
        let documents = ARMTemplateRenderer.split(
            [Self.group, Self.alert("a", layer: "data")], parameters: [:], limit: 800, byteLimit: 4_000_000)
        #expect(documents.map(\.path) == ["azure/alerts.json"])
    }

    @Test("over the limits: action groups first, alerts by layer, chunks by name order, no cross-template dependsOn")
    func split() {
        let resources = [Self.group] + ["a", "b", "c"].map { Self.alert($0, layer: "data") } + [Self.alert("d", layer: "ingress")]
        let documents = ARMTemplateRenderer.split(resources, parameters: [:], limit: 2, byteLimit: 4_000_000)
        #expect(documents.map(\.path) == [
            "azure/action-groups.json", "azure/alerts-data.json", "azure/alerts-data-2.json", "azure/alerts-ingress.json",
        ])
        let text = documents.dropFirst().map { String(decoding: $0.bytes(), as: UTF8.self) }.joined()
        #expect(!text.contains("dependsOn"))
        #expect(String(decoding: documents[2].bytes(), as: UTF8.self).contains("\"c\""))
    }

    @Test("the byte limit splits too")
    func bytes() {
        let resources = (0..<10).map { Self.alert("alert-\($0)", layer: "data") }
        let documents = ARMTemplateRenderer.split(resources, parameters: [:], limit: 800, byteLimit: 600)
        #expect(documents.count > 2)
        #expect(documents.allSatisfy { $0.bytes().count < 1200 })
    }
}
