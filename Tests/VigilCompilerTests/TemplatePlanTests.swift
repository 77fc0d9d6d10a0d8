import Foundation
import Testing
import VigilModel
import VigilTestSupport

@testable import VigilCompiler

@Suite("Template plans")
struct TemplatePlanTests {
    /// The first alert of `tenantTemplate`, as read.
    static func item() throws -> (id: String, body: RawNode) {
        var diagnostics = Diagnostics()
        let file = SourceFile(path: "templates/tenant-pods.yaml", kind: .template, contents: Data(tenantTemplate.utf8))
        let root = try #require(YAMLNodeReader(limits: .standard).read(file, diagnostics: &diagnostics))
        guard case .mapping(let entries) = root.content, case .mapping(let alerts)? = entries.first(where: { $0.key == "alerts" })?.value.content,
            let alert = alerts.first
        else { throw PlanTestError.shape }
        return (alert.key, alert.value)
    }

    enum PlanTestError: Error { case shape }

    static func variables(
        tenant: String, threshold: String, window: String = "15m", phases: [String] = ["Failed", "Pending"]
    ) -> [String: TemplateValue] {
        var values: [String: TemplateValue] = [
            "tenant.id": .text(tenant), "tenant.displayName": .text(tenant.capitalized), "tenant.host": .text("\(tenant).erp.example.com"),
            "tenant.namespace": .text("odoo-\(tenant)"), "threshold": .text(threshold), "phases": .list(phases),
        ]
        if let duration = Duration.parse(window) {
            TemplateExpander.addDuration(duration, as: "window", to: &values)
        } else {
            values["window"] = .text(window)
        }
        return values
    }

    /// The whole item substituted and checked: what the plan must reproduce.
    static func slow(_ body: RawNode, _ substitution: Substitution) -> SpecValue? {
        var problems = Diagnostics()
        guard let node = substitution.node(body, diagnostics: &problems), problems.all.isEmpty else { return nil }
        var validator = SchemaValidator()
        let value = validator.validate(node, object: OverlayMerger.objectSchema(forCollection: "alerts")!, mode: .definition, context: "x")
        return validator.diagnostics.all.isEmpty ? value : nil
    }

    @Test("a planned expansion equals the whole item substituted and checked, spans included; a value that fails leaves it to the slow way")
    func planEqualsSlowPath() throws {
        let (_, body) = try Self.item()
        let schema = try #require(OverlayMerger.objectSchema(forCollection: "alerts"))
        let origins = ["threshold": SourceSpan(file: "baselines/tenants.yaml", line: 7, column: 20)]
        let first = try #require(Self.slow(body, Substitution(variables: Self.variables(tenant: "contoso", threshold: "1"), origins: origins)))
        let plan = try #require(TemplatePlan(raw: body, value: first, object: schema))

        let good = [
            Self.variables(tenant: "contoso", threshold: "1"),
            Self.variables(tenant: "fabrikam", threshold: "2.5", window: "1h", phases: ["Failed", "Pending", "Unknown"]),
            Self.variables(tenant: "northwind", threshold: "0", phases: []),
        ]
        for variables in good {
            let substitution = Substitution(variables: variables, origins: origins)
            let expected = try #require(Self.slow(body, substitution))
            #expect(plan.value(substitution) == expected)
        }
        let bad = [
            Self.variables(tenant: "contoso", threshold: "lots"),  // not a number
            Self.variables(tenant: "contoso", threshold: "null"),  // a required field becomes null
            Self.variables(tenant: "contoso", threshold: ""),  // empty
            Self.variables(tenant: "contoso", threshold: "1", window: "soon"),  // not a duration
        ]
        for variables in bad {
            let substitution = Substitution(variables: variables, origins: origins)
            #expect(Self.slow(body, substitution) == nil)
            #expect(plan.value(substitution) == nil, "the slow way reports it")
        }
        var missing = Self.variables(tenant: "contoso", threshold: "1")
        missing["tenant.namespace"] = nil
        #expect(plan.value(Substitution(variables: missing, origins: origins)) == nil, "an unknown reference is left to the slow way")
    }

    @Test("a shared plan is used only for the item it was made from")
    func sharedPlans() throws {
        let (_, body) = try Self.item()
        let schema = try #require(OverlayMerger.objectSchema(forCollection: "alerts"))
        let first = try #require(Self.slow(body, Substitution(variables: Self.variables(tenant: "contoso", threshold: "1"))))
        let plan = try #require(TemplatePlan(raw: body, value: first, object: schema))
        let plans = TemplatePlans()
        let key = TemplatePlans.Key(template: "tenant-pods", collection: "alerts", index: 0)
        #expect(plans.plan(for: key, raw: body) == nil)
        plans.remember(plan, for: key, raw: body)
        let substitution = Substitution(variables: Self.variables(tenant: "fabrikam", threshold: "2"))
        #expect(plans.plan(for: key, raw: body)?.value(substitution) == Self.slow(body, substitution))
        // Another template under the same name (another side of a diff, another root): not its plan.
        guard case .mapping(var entries) = body.content, let index = entries.firstIndex(where: { $0.key == "severity" }) else {
            throw PlanTestError.shape
        }
        entries[index].value = RawNode(content: .scalar("3", plain: true), span: entries[index].value.span)
        #expect(plans.plan(for: key, raw: RawNode(content: .mapping(entries), span: body.span)) == nil)
        #expect(plans.plan(for: TemplatePlans.Key(template: "tenant-pods", collection: "alerts", index: 1), raw: body) == nil)
    }

    @Test("environments expanded with one resolver's shared plans resolve as each does with a resolver of its own")
    func sharedAcrossEnvironments() throws {
        let inputs = try Compiler().load(Compiler.Options(root: PackagePaths.root.appendingPathComponent("examples")))
        let specs = try #require(inputs.specs)
        var planned = 0
        for document in inputs.selected {
            var shared = Diagnostics(), alone = Diagnostics()
            let a = inputs.resolver.resolve(document, specs: specs, diagnostics: &shared)
            let b = EnvironmentResolver().resolve(document, specs: specs, diagnostics: &alone)
            #expect(a.map(ModelEncoder.bytes) == b.map(ModelEncoder.bytes), "\(document.name.value)")
            #expect(a?.alerts.map(\.provenance) == b?.alerts.map(\.provenance), "\(document.name.value)")
            #expect(shared.all == alone.all)
            if (a?.itemTenants.count ?? 0) > 0 { planned += 1 }
        }
        #expect(planned >= 2, "several environments expand per-tenant templates")
    }

    @Test("a reference where a map is expected is not planned")
    func unplannable() throws {
        let (_, body) = try Self.item()
        let schema = try #require(OverlayMerger.objectSchema(forCollection: "alerts"))
        guard case .mapping(var entries) = body.content, let index = entries.firstIndex(where: { $0.key == "metric" }) else {
            throw PlanTestError.shape
        }
        let first = try #require(Self.slow(body, Substitution(variables: Self.variables(tenant: "contoso", threshold: "1"))))
        entries[index].value = RawNode(content: .scalar("${metric}", plain: true), span: entries[index].value.span)
        #expect(TemplatePlan(raw: RawNode(content: .mapping(entries), span: body.span), value: first, object: schema) == nil)
    }

    @Test("after a plan is made, a tenant whose value fails the schema is reported for that tenant, and the others expand")
    func failingTenantAfterPlan() throws {
        // `severity: ${tenant.displayName}`: only Fabrikam's display name ("2") is a severity.
        let template = tenantTemplate.replacingOccurrences(of: "severity: 2", with: "severity: ${tenant.displayName}")
        let tenants = """
            tenants:
              contoso: {displayName: Contoso, namespace: odoo-contoso, host: contoso.erp.example.com, database: contoso}
              fabrikam: {displayName: "2", namespace: odoo-fabrikam, host: fabrikam.erp.example.com, database: fabrikam}
              northwind: {displayName: Northwind, namespace: odoo-northwind, host: northwind.erp.example.com, database: northwind}
              tailspin: {displayName: "3", namespace: odoo-tailspin, host: tailspin.erp.example.com, database: tailspin}

            """
        let result = try TemplateTests.compile([
            "templates/tenant-pods.yaml": template, "baselines/tenants.yaml": TemplateTests.instance,
            "environments/shared-prod.yaml": multiTenantEnvironment(tenants: tenants),
        ])
        let problems = result.diagnostics.all.filter { $0.id == "schema/type-mismatch" }
        #expect(problems.count == 2, "\(result.diagnostics.sorted)")
        #expect(problems.contains { $0.notes.contains { $0.message.contains("tenant 'contoso'") } })
        #expect(problems.contains { $0.notes.contains { $0.message.contains("tenant 'northwind'") } })
        let numbered = """
            tenants:
              contoso: {displayName: "1", namespace: odoo-contoso, host: contoso.erp.example.com, database: contoso}
              fabrikam: {displayName: "2", namespace: odoo-fabrikam, host: fabrikam.erp.example.com, database: fabrikam}
              northwind: {displayName: "3", namespace: odoo-northwind, host: northwind.erp.example.com, database: northwind}
              tailspin: {displayName: "4", namespace: odoo-tailspin, host: tailspin.erp.example.com, database: tailspin}

            """
        let kept = try TemplateTests.compile([
            "templates/tenant-pods.yaml": template, "baselines/tenants.yaml": TemplateTests.instance,
            "environments/shared-prod.yaml": multiTenantEnvironment(tenants: numbered),
        ])
        #expect(kept.diagnostics.all.isEmpty, "\(kept.diagnostics.sorted)")
        let severities = (kept.environments.first?.alerts ?? []).map { [$0.id: $0.severity] }
        #expect(severities == [
            ["tenant-contoso-pods-unhealthy": 1], ["tenant-fabrikam-pods-unhealthy": 2], ["tenant-northwind-pods-unhealthy": 3],
            ["tenant-tailspin-pods-unhealthy": 4],
        ])
    }
}
