import Foundation
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

/// SLOs compile into multi-window, multi-burn-rate alerts: the tiers, windows and thresholds are
/// pinned here for a 99.9 % objective over 30 days, in PromQL and in KQL.
@Suite("SLO burn rates")
struct SLOTests {
    static func environment(components: String = "{prometheus: managed, apm: application-insights}", slos: String = "") -> String {
        """
        apiVersion: vigil/v1
        kind: Environment
        name: shop-prod
        tier: dedicated
        stage: production
        region: westeurope
        components: \(components)
        azure:
          subscriptionId: 00000000-0000-0000-0000-000000000001
          resourceGroup: rg
          workspace: law-shop-prod
          resources:
            monitor-workspace: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Monitor/accounts/amw
        actionGroups:
          oncall: {shortName: page, purpose: page, receivers: {sms: {type: sms, countryCode: "1", phoneNumber: "5550100"}}}
          ops: {shortName: ops, purpose: notify, receivers: {mail: {type: email, address: ops@example.com}}}
        \(slos)
        """
    }

    static let prometheusSLO = """
        slos:
          web:
            title: Web availability
            layer: ingress
            objective: 99.9
            period: 30d
            route: oncall
            ticketRoute: ops
            indicator:
              prometheus:
                good: sum(rate(http_requests_total{code!~"5.."}[$window]))
                total: sum(rate(http_requests_total[$window]))
        """

    static let logSLO = """
        slos:
          requests:
            title: Requests succeed
            layer: application
            objective: 99.9
            period: 30d
            route: oncall
            indicator:
              log:
                total: AppRequests
                good: AppRequests | where Success == true
        """

    static func resolve(_ files: [String: String]) throws -> (ResolvedEnvironment?, Diagnostics) {
        let tree = try FixtureTree()
        try tree.write("vigil.yaml", isolatedConfig)
        for (path, text) in files { try tree.write(path, text) }
        let result = try Compiler().compile(Compiler.Options(root: tree.url))
        return (result.environments.first, result.diagnostics)
    }

    @Test("PromQL, 99.9 % over 30 days: four tiers with their windows, factors and error-ratio thresholds")
    func prometheusTiers() throws {
        let (resolved, diagnostics) = try Self.resolve(["environments/shop-prod.yaml": Self.environment(slos: Self.prometheusSLO)])
        let environment = try #require(resolved, "\(diagnostics.sorted)")
        #expect(environment.slos.map(\.id) == ["web"])
        #expect(environment.slos.first?.errorBudget == Decimal(string: "0.001"))
        let expected: [(tier: String, long: String, short: String, threshold: String, severity: Int, route: String)] = [
            ("page-1h", "1h", "5m", "0.0144", 1, "oncall"),
            ("page-6h", "6h", "30m", "0.006", 1, "oncall"),
            ("ticket-1d", "1d", "2h", "0.003", 2, "ops"),
            ("ticket-3d", "3d", "6h", "0.001", 2, "ops"),
        ]
        for tier in expected {
            let alert = try #require(environment.alerts.first { $0.id == "web-burn-rate-\(tier.tier)" })
            guard case .prometheus(let p) = alert.criteria else { Issue.record("not a Prometheus alert"); continue }
            #expect(p.labels == ["slo": "web", "burn_rate_tier": tier.tier])
            #expect(p.expr == "slo:sli_error:ratio_rate\(tier.long){slo=\"web\"} > \(tier.threshold)\nand\nslo:sli_error:ratio_rate\(tier.short){slo=\"web\"} > \(tier.threshold)")
            #expect(alert.severity == tier.severity && alert.route == tier.route)
            #expect(alert.provenance.definedAt.file == "environments/shop-prod.yaml", "traced to the SLO")
        }
        #expect(environment.alerts.count == 4)
        let windows = environment.recordingRules.map(\.record)
        #expect(Set(windows) == Set(["5m", "30m", "1h", "2h", "6h", "1d", "3d"].map { "slo:sli_error:ratio_rate\($0)" }))
        let fiveMinutes = try #require(environment.recordingRules.first { $0.record == "slo:sli_error:ratio_rate5m" })
        #expect(fiveMinutes.expr == "1 - (\n  (sum(rate(http_requests_total{code!~\"5..\"}[5m])))\n  /\n  (sum(rate(http_requests_total[5m])))\n)")
        #expect(fiveMinutes.labels == ["slo": "web"] && fiveMinutes.group == "slo-web")
    }

    @Test("KQL, 99.9 % over 30 days: the 1h, 6h and 1d tiers as log alerts; no 3-day tier (log alerts look back at most 2 days)")
    func logTiers() throws {
        let (resolved, diagnostics) = try Self.resolve(["environments/shop-prod.yaml": Self.environment(slos: Self.logSLO)])
        let environment = try #require(resolved, "\(diagnostics.sorted)")
        let expected: [(tier: String, long: String, short: String, window: Int, frequency: Int, threshold: String)] = [
            ("page-1h", "1h", "5m", 3600, 300, "0.0144"),
            ("page-6h", "6h", "30m", 21600, 1800, "0.006"),
            ("ticket-1d", "1d", "2h", 86400, 7200, "0.003"),
        ]
        #expect(environment.alerts.map(\.id) == expected.map { "requests-burn-rate-\($0.tier)" })
        #expect(environment.recordingRules.isEmpty)
        for tier in expected {
            let alert = try #require(environment.alerts.first { $0.id == "requests-burn-rate-\(tier.tier)" })
            guard case .log(let log) = alert.criteria else { Issue.record("not a log alert"); continue }
            #expect(log.window.seconds == tier.window && log.frequency.seconds == tier.frequency)
            #expect(log.query.contains("print longWindowErrorRatio = errorRatio(\(tier.long)), shortWindowErrorRatio = errorRatio(\(tier.short))"))
            #expect(log.query.contains("| where longWindowErrorRatio > \(tier.threshold) and shortWindowErrorRatio > \(tier.threshold)"))
            #expect(log.tables == ["AppRequests"] && log.aggregation == "Count" && log.operator == "GreaterThan" && log.threshold == 0)
        }
    }

    @Test("the factors follow the period: 28 days gives 13.44×, 5.6×, 2.8× and 0.9333…×")
    func otherPeriod() throws {
        let slo = Self.prometheusSLO.replacingOccurrences(of: "period: 30d", with: "period: 28d")
        let (resolved, _) = try Self.resolve(["environments/shop-prod.yaml": Self.environment(slos: slo)])
        let alerts = try #require(resolved).alerts
        let thresholds = alerts.compactMap { alert -> String? in
            guard case .prometheus(let p) = alert.criteria else { return nil }
            return p.expr.split(separator: " ").last.map(String.init)
        }
        #expect(thresholds == ["0.01344", "0.0056", "0.0028", "0.0009333333"])
        #expect(BurnRateTier.standard.map { $0.factor(period: Duration(seconds: 30 * 86400)) } == [Decimal(string: "14.4"), 6, 3, 1])
    }

    @Test("an environment refines a library SLO by id: the objective's chain, and thresholds halve at 99.95 %")
    func environmentRefines() throws {
        let baseline = "apiVersion: vigil/v1\nkind: Baseline\nname: slos\n" + Self.prometheusSLO + "\n"
        let (resolved, diagnostics) = try Self.resolve([
            "baselines/slos.yaml": baseline,
            "environments/shop-prod.yaml": Self.environment(slos: "slos:\n  web: {objective: 99.95}\n"),
        ])
        let environment = try #require(resolved, "\(diagnostics.sorted)")
        let origin = try #require(environment.slos.first?.provenance.origin(of: "objective"))
        #expect(origin.setAt.file == "environments/shop-prod.yaml")
        #expect(origin.overridden.map(\.value) == ["99.9"] && origin.overridden.first?.setAt.file == "baselines/slos.yaml")
        let page = try #require(environment.alerts.first { $0.id == "web-burn-rate-page-1h" })
        guard case .prometheus(let p) = page.criteria else { return }
        #expect(p.expr.hasSuffix("> 0.0072"))
    }

    @Test("bad SLOs are located errors: objective out of range, a PromQL query without $window, a period shorter than 3 days")
    func diagnostics() throws {
        let cases: [(String, String, String)] = [
            ("objective: 99.9", "objective: ↓100", "slo/invalid-objective"),
            ("good: sum(rate(http_requests_total{code!~\"5..\"}[$window]))", "good: ↓sum(rate(http_requests_total{code!~\"5..\"}[5m]))", "slo/missing-window"),
            ("period: 30d", "period: ↓2d", "slo/period-too-short"),
        ]
        for (old, new, id) in cases {
            let marked = MarkedText(Self.environment(slos: Self.prometheusSLO.replacingOccurrences(of: old, with: new)))
            let (_, diagnostics) = try Self.resolve(["environments/shop-prod.yaml": marked.text])
            let found = diagnostics.all.first { $0.id.rawValue == id }
            #expect(found?.location?.start == marked.marker, "\(id): \(diagnostics.sorted)")
            #expect(found?.hint != nil)
        }
    }

    @Test("a per-tenant SLO template: one SLO per tenant, its alerts carry the tenant")
    func tenants() throws {
        let template = """
            apiVersion: vigil/v1
            kind: Template
            name: tenant-slos
            slos:
              tenant-${tenant.id}-web:
                title: Web for ${tenant.id}
                layer: ingress
                objective: 99.5
                period: 30d
                route: oncall
                indicator:
                  prometheus:
                    good: sum(rate(http_requests_total{namespace="${tenant.namespace}",code!~"5.."}[$window]))
                    total: sum(rate(http_requests_total{namespace="${tenant.namespace}"}[$window]))
            """
        let environment = Self.environment(components: "{prometheus: in-cluster}")
            .replacingOccurrences(of: "tier: dedicated", with: "tier: multi-tenant")
            + "tenants:\n  contoso: {namespace: odoo-contoso}\n  fabrikam: {namespace: odoo-fabrikam}\n"
        let (resolved, diagnostics) = try Self.resolve([
            "templates/tenant-slos.yaml": template,
            "baselines/tenants.yaml": "apiVersion: vigil/v1\nkind: Baseline\nname: tenants\ninstances:\n  slos: {template: tenant-slos, forEach: tenant}\n",
            "environments/shop-prod.yaml": environment,
        ])
        let resolvedEnvironment = try #require(resolved, "\(diagnostics.sorted)")
        #expect(resolvedEnvironment.slos.map(\.id) == ["tenant-contoso-web", "tenant-fabrikam-web"])
        #expect(resolvedEnvironment.itemTenants["tenant-contoso-web-burn-rate-page-1h"] == "contoso")
        #expect(resolvedEnvironment.itemTenants["tenant-fabrikam-web-sli-error-5m"] == "fabrikam")
        #expect(resolvedEnvironment.alerts.count == 8)
    }
}
