import Foundation
import Testing
@testable import VigilCompiler
import VigilModel
import VigilTestSupport

/// Dashboards are resolved from the same model as the alerts: a threshold linked to an alert is
/// the alert's threshold in every layer, SLO panels come from the SLO's recording rules, and the
/// Grafana and workbook renderings are stable (uids, GUIDs, panel ids, layout).
@Suite("Dashboards")
struct DashboardTests {
    static let alerts = """
        apiVersion: vigil/v1
        kind: Baseline
        name: alerts
        alerts:
          db-cpu:
            title: Database CPU high
            layer: data
            severity: 2
            metric:
              resource: db
              resourceType: Microsoft.DBforPostgreSQL/flexibleServers
              namespace: Microsoft.DBforPostgreSQL/flexibleServers
              metric: cpu_percent
              aggregation: Average
              operator: GreaterThan
              threshold: 90
              window: 5m
              frequency: 1m
          db-connections-anomaly:
            title: Connections unusual
            layer: data
            severity: 3
            metric:
              resource: db
              resourceType: Microsoft.DBforPostgreSQL/flexibleServers
              namespace: Microsoft.DBforPostgreSQL/flexibleServers
              metric: active_connections
              aggregation: Average
              dynamic: {operator: GreaterThan, sensitivity: Medium}
              window: 5m
              frequency: 5m
          http-5xx:
            title: Too many 5xx
            layer: ingress
            severity: 1
            prometheus:
              expr: (sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05) and sum(rate(http_requests_total[5m])) > 0.1
          disk-free-low:
            title: Disk almost full
            layer: platform
            severity: 2
            prometheus:
              expr: min(node_filesystem_avail_bytes / node_filesystem_size_bytes) < 0.15
          disk-free-critical:
            title: Disk full
            layer: platform
            severity: 1
            prometheus:
              expr: min(node_filesystem_avail_bytes / node_filesystem_size_bytes) < 0.05
          worker-kills:
            title: Workers killed
            layer: application
            severity: 3
            log:
              query: ContainerLogV2 | where LogMessage has "timeout after" | summarize Kills = count()
              tables: [ContainerLogV2]
              aggregation: Total
              measureColumn: Kills
              operator: GreaterThan
              threshold: 3
              window: 15m
              frequency: 5m
          role-change:
            title: Role assignment written
            layer: security
            severity: 1
            activityLog: {category: Administrative, operationName: Microsoft.Authorization/roleAssignments/write}
          staging-only:
            title: Only in staging
            layer: platform
            severity: 3
            when: {stage: staging}
            prometheus:
              expr: up == 0
        slos:
          web:
            title: Web availability
            layer: ingress
            objective: 99.9
            period: 30d
            indicator:
              prometheus:
                good: sum(rate(http_requests_total{code!~"5.."}[$window]))
                total: sum(rate(http_requests_total[$window]))
        """

    static func dashboard(_ panels: String, audience: String = "engineering", extra: String = "") -> String {
        """
        apiVersion: vigil/v1
        kind: Baseline
        name: dashboards
        dashboards:
          ops:
            title: Operations
            audience: \(audience)
        \(extra)    panels:
        \(panels)
        """
    }

    static func environment(tier: String = "dedicated", prometheus: String = "managed", extra: String = "") -> String {
        """
        apiVersion: vigil/v1
        kind: Environment
        name: shop-prod
        tier: \(tier)
        stage: production
        region: westeurope
        components: {prometheus: \(prometheus)}
        azure:
          subscriptionId: 00000000-0000-0000-0000-000000000001
          resourceGroup: rg
          workspace: law-shop-prod
          resources:
            db: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/db
            monitor-workspace: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Monitor/accounts/amw
        \(extra)
        """
    }

    static let linkedPanels = """
              cpu:
                title: Database CPU
                kind: timeseries
                row: 1
                unit: percent
                query: {log: "AzureMetrics | where MetricName == 'cpu_percent'"}
                thresholds: [{alert: db-cpu}]
              errors:
                title: 5xx ratio
                kind: timeseries
                row: 1
                order: 1
                unit: percentunit
                query: {prometheus: 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))'}
                thresholds: [{alert: http-5xx}, {value: 0.02, color: yellow}]
        """

    static func compile(_ files: [String: String]) throws -> Compiler.Result {
        let tree = try FixtureTree()
        try tree.write("vigil.yaml", isolatedConfig)
        for (path, text) in files { try tree.write(path, text) }
        return try Compiler().compile(Compiler.Options(root: tree.url))
    }

    static func resolve(_ files: [String: String]) throws -> (ResolvedEnvironment?, Diagnostics) {
        let result = try compile(files)
        return (result.environments.first, result.diagnostics)
    }

    static func panel(_ environment: ResolvedEnvironment?, _ id: String) -> DashboardPanel? {
        environment?.dashboards.first?.panels.first { $0.id == id }
    }

    // MARK: One threshold feeds the alert and the dashboard

    @Test("a linked threshold is the alert's, and follows an overlay that changes the alert")
    func linkedThresholdFollowsOverlay() throws {
        let files = [
            "baselines/alerts.yaml": Self.alerts,
            "baselines/dashboards.yaml": Self.dashboard(Self.linkedPanels),
            "environments/shop-prod.yaml": Self.environment(),
        ]
        let (before, diagnostics) = try Self.resolve(files)
        #expect(!diagnostics.hasErrors, "\(diagnostics.sorted)")
        let cpu = try #require(Self.panel(before, "cpu"))
        #expect(cpu.thresholds == [DashboardThreshold(value: 90, color: "orange", alert: "db-cpu")])
        let errors = try #require(Self.panel(before, "errors"))
        #expect(errors.thresholds == [
            DashboardThreshold(value: Decimal(string: "0.02")!, color: "yellow"),
            DashboardThreshold(value: Decimal(string: "0.05")!, color: "red", alert: "http-5xx"),
        ])
        #expect(errors.baseColor == "green")

        var patched = files
        patched["overlays/production.yaml"] = """
            apiVersion: vigil/v1
            kind: Overlay
            name: production
            appliesTo: {stage: production}
            alerts:
              db-cpu:
                severity: 1
                metric: {threshold: 80}
              http-5xx:
                prometheus:
                  expr: sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.01
            """
        let (after, afterDiagnostics) = try Self.resolve(patched)
        #expect(!afterDiagnostics.hasErrors, "\(afterDiagnostics.sorted)")
        #expect(Self.panel(after, "cpu")?.thresholds == [DashboardThreshold(value: 80, color: "red", alert: "db-cpu")])
        #expect(Self.panel(after, "errors")?.thresholds.map(\.value) == [Decimal(string: "0.01")!, Decimal(string: "0.02")!])
        // The rendered alert and the rendered panel carry the same number.
        let result = try Self.compile(patched)
        let output = try #require(result.outputs.first)
        let alerts = String(decoding: try #require(output.files.first { $0.path == "azure/alerts.json" }).bytes, as: UTF8.self)
        let grafana = String(decoding: try #require(output.files.first { $0.path == "grafana/ops.json" }).bytes, as: UTF8.self)
        #expect(alerts.contains("\"threshold\": 80"))
        #expect(grafana.contains("\"value\": 80"))
        #expect(!grafana.contains("\"value\": 90"))
    }

    @Test("alerts that fire below their value colour what lies below: base red, then orange, then green")
    func belowThresholds() throws {
        let panels = """
                  disk:
                    title: Free disk
                    kind: timeseries
                    row: 1
                    query: {prometheus: min(node_filesystem_avail_bytes / node_filesystem_size_bytes)}
                    thresholds: [{alert: disk-free-low}, {alert: disk-free-critical}]
            """
        let (resolved, diagnostics) = try Self.resolve([
            "baselines/alerts.yaml": Self.alerts, "baselines/dashboards.yaml": Self.dashboard(panels),
            "environments/shop-prod.yaml": Self.environment(),
        ])
        let disk = try #require(Self.panel(resolved, "disk"), "\(diagnostics.sorted)")
        #expect(disk.baseColor == "red")
        #expect(disk.thresholds == [
            DashboardThreshold(value: Decimal(string: "0.05")!, color: "orange", alert: "disk-free-critical"),
            DashboardThreshold(value: Decimal(string: "0.15")!, color: "green", alert: "disk-free-low"),
        ])
    }

    @Test("a threshold linked to an alert this environment does not keep draws no line; no diagnostic")
    func absentAlertDrawsNothing() throws {
        let panels = """
                  up:
                    title: Targets up
                    kind: stat
                    row: 1
                    query: {prometheus: sum(up)}
                    thresholds: [{alert: staging-only}]
            """
        let (resolved, diagnostics) = try Self.resolve([
            "baselines/alerts.yaml": Self.alerts, "baselines/dashboards.yaml": Self.dashboard(panels),
            "environments/shop-prod.yaml": Self.environment(),
        ])
        #expect(diagnostics.all.isEmpty, "\(diagnostics.sorted)")
        #expect(Self.panel(resolved, "up")?.thresholds == [])
    }

    @Test("the threshold of a PromQL alert is its first comparison with a number", arguments: [
        ("up == 0", nil as String?, false),
        ("rate(x[5m]) > 0.05", "0.05", false),
        ("(a / b > 0.05) and b > 0.1", "0.05", false),
        ("histogram_quantile(0.95, x) > 2 and on (service) y > 0.1", "2", false),
        ("time() - max by (schedule) (t{schedule=\"a>b\"}) > 3600 + 1800", "5400", false),
        ("(time() - max(t) > 86400 * 35) or on () absent(t)", "3024000", false),
        ("min(a / b) < 0.15", "0.15", true),
        ("x <= bool 3", "3", true),
        ("x > 1e9", "1000000000", false),
        ("x{code=~\"5..\", le=\"1.2\"} >= 10 # comment > 99", "10", false),
        ("a > b", nil, false),
        ("a > (2 - 1) * 4", "4", false),
        ("a > 5m", nil, false),
        ("absent(a)", nil, false),
    ])
    func promQLComparison(_ expr: String, _ value: String?, _ below: Bool) {
        let comparison = PromQLComparison.first(in: expr)
        if expr == "up == 0" {
            #expect(comparison?.isOrdering == false)
            return
        }
        #expect(comparison?.value == value.flatMap { Decimal(string: $0) }, "\(expr)")
        if value != nil { #expect(comparison?.firesBelow == below, "\(expr)") }
    }

    // MARK: SLO panels and tenants

    @Test("an SLO panel becomes an error-budget and a burn-rate panel built from the SLO's recording rules")
    func sloPanels() throws {
        let panels = """
                  web:
                    title: Web
                    kind: slo
                    slo: web
                    row: 1
            """
        let (resolved, diagnostics) = try Self.resolve([
            "baselines/alerts.yaml": Self.alerts, "baselines/dashboards.yaml": Self.dashboard(panels),
            "environments/shop-prod.yaml": Self.environment(),
        ])
        let environment = try #require(resolved, "\(diagnostics.sorted)")
        let dashboard = try #require(environment.dashboards.first)
        #expect(dashboard.panels.map(\.id) == ["web-budget", "web-burn-rate"])
        let budget = dashboard.panels[0], burn = dashboard.panels[1]
        #expect(budget.queries.map(\.text) == ["1 - (avg_over_time(slo:sli_error:ratio_rate5m{slo=\"web\"}[30d]) / 0.001)"])
        #expect(budget.kind == .stat && budget.unit == "percentunit" && budget.timeRange == Duration(seconds: 30 * 86400))
        #expect(burn.queries.map(\.text) == ["1h", "6h", "1d", "3d"].map { "slo:sli_error:ratio_rate\($0){slo=\"web\"} / 0.001" })
        #expect(burn.thresholds.map(\.value) == [1, 3, 6, Decimal(string: "14.4")!])
        #expect(burn.thresholds.map(\.alert) == ["ticket-3d", "ticket-1d", "page-6h", "page-1h"].map { Optional("web-burn-rate-\($0)") })
        let records = Set(environment.recordingRules.map(\.record))
        for query in budget.queries + burn.queries {
            let record = String(query.text.split(separator: "{")[0].split(separator: "(").last ?? "")
            #expect(records.contains(record), "\(record) is one of the SLO's recording rules")
        }
    }

    @Test("tenant dashboards on multi-tenant environments get a tenant variable; workbooks write it {tenant}")
    func tenantVariable() throws {
        let panels = """
                  kills:
                    title: Worker kills
                    kind: timeseries
                    row: 1
                    query:
                      log: ContainerLogV2 | where PodNamespace == "$tenant" | summarize count() by bin(TimeGenerated, 15m)
                  pods:
                    title: Pods
                    kind: timeseries
                    row: 1
                    query: {prometheus: 'sum(kube_pod_status_phase{namespace="${tenant}"})'}
            """
        let environment = Self.environment(
            tier: "multi-tenant", prometheus: "in-cluster",
            extra: "tenants:\n  contoso: {namespace: odoo-contoso}\n  fabrikam: {}\n")
        let result = try Self.compile([
            "baselines/alerts.yaml": Self.alerts, "baselines/dashboards.yaml": Self.dashboard(panels, audience: "tenant"),
            "environments/shop-prod.yaml": environment,
        ])
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.sorted)")
        let dashboard = try #require(result.environments.first?.dashboards.first)
        #expect(dashboard.variables == [
            DashboardVariable(name: "tenant", label: "Tenant", options: [
                .init(text: "contoso", value: "odoo-contoso"), .init(text: "fabrikam", value: "fabrikam"),
            ])
        ])
        let output = try #require(result.outputs.first)
        let configMaps = String(decoding: try #require(output.files.first { $0.path == "kubernetes/dashboards.yaml" }).bytes, as: UTF8.self)
        #expect(configMaps.contains("grafana_dashboard: \"1\""))
        #expect(configMaps.contains("shop-prod-ops.json"))
        #expect(configMaps.contains(#"contoso : odoo-contoso,fabrikam : fabrikam"#))
        let kustomization = String(decoding: try #require(output.files.first { $0.path == "kubernetes/kustomization.yaml" }).bytes, as: UTF8.self)
        #expect(kustomization.contains("dashboards.yaml"))
        let workbooks = try #require(output.files.first { $0.path == "azure/workbooks.json" })
        let template = try JSONSerialization.jsonObject(with: workbooks.bytes) as? [String: Any]
        let resource = try #require((template?["resources"] as? [[String: Any]])?.first)
        let data = try #require((resource["properties"] as? [String: Any])?["serializedData"] as? String)
        #expect(data.contains(#"PodNamespace == \"{tenant}\""#))
        #expect(!data.contains("$tenant"))
        #expect(!data.contains("kube_pod_status_phase"), "PromQL panels stay in Grafana")
    }

    // MARK: Stable names and layout

    @Test("workbook names are RFC 4122 version-5 UUIDs of the environment and dashboard")
    func workbookNames() {
        // Python: uuid.uuid5(uuid.NAMESPACE_URL, "vigil:workbook:shared-weu-prod/engineering")
        #expect(WorkbookRenderer.workbookName(environment: "shared-weu-prod", dashboard: "engineering") == "17d747f7-5ab0-5b0b-ab26-e12ebf34364e")
        #expect(WorkbookRenderer.workbookName(environment: "shop-prod", dashboard: "ops") == "964922f3-652a-5aba-be20-7c9ea756fa11")
        #expect(NameBasedUUID.v5("hello") == "074171de-bc84-5ea4-b636-1135477620e1")
    }

    @Test("Grafana uids are the environment and dashboard, hashed to 40 characters when longer")
    func grafanaUIDs() {
        #expect(GrafanaDashboardRenderer.uid(environment: "shop-prod", dashboard: "ops") == "shop-prod-ops")
        let long = GrafanaDashboardRenderer.uid(environment: "a-very-long-environment-name-prod", dashboard: "engineering-in-depth")
        #expect(long.count == 40 && long.hasPrefix("a-very-long-environment-name-pr-"))
        #expect(long == GrafanaDashboardRenderer.uid(environment: "a-very-long-environment-name-prod", dashboard: "engineering-in-depth"))
        #expect(long != GrafanaDashboardRenderer.uid(environment: "a-very-long-environment-name-prod", dashboard: "engineering-in-depth-2"))
    }

    @Test("layout: rows in order, a titled row gets a header, lines of at most six panels share 24 columns")
    func layout() throws {
        let panels = (1...8).map { index in
            "      p\(index):\n        title: P\(index)\n        kind: \(index == 8 ? "stat" : "timeseries")\n        row: \(index == 8 ? 1 : 2)\n        order: \(9 - index)\n        query: {prometheus: up}\n"
        }.joined()
        let (resolved, diagnostics) = try Self.resolve([
            "baselines/dashboards.yaml": Self.dashboard(panels, extra: "    rows: {\"2\": Second}\n"),
            "environments/shop-prod.yaml": Self.environment(),
        ])
        let dashboard = try #require(resolved?.dashboards.first, "\(diagnostics.sorted)")
        #expect(dashboard.panels.map(\.id) == ["p8", "p7", "p6", "p5", "p4", "p3", "p2", "p1"])
        let elements = DashboardLayout.layout(dashboard)
        let placed = elements.map { ($0.panel?.id ?? "# \($0.header ?? "")", $0.x, $0.y, $0.w, $0.h) }
        #expect(placed.map(\.0) == ["p8", "# Second", "p7", "p6", "p5", "p4", "p3", "p2", "p1"])
        #expect(placed[0].1 == 0 && placed[0].2 == 0 && placed[0].3 == 24 && placed[0].4 == 5)
        #expect(placed[1].2 == 5 && placed[1].3 == 24 && placed[1].4 == 1)
        #expect(placed[2...7].map(\.1) == [0, 4, 8, 12, 16, 20] && placed[2...7].allSatisfy { $0.2 == 6 && $0.3 == 4 && $0.4 == 8 })
        #expect(placed[8].1 == 0 && placed[8].2 == 14 && placed[8].3 == 24)
        let model = GrafanaDashboardRenderer.model(dashboard, environment: try #require(resolved))
        #expect(model.panels.map(\.id) == Array(1...9))
    }

    @Test("overlays patch a dashboard's panels by id and remove one with null")
    func patchPanels() throws {
        let (resolved, diagnostics) = try Self.resolve([
            "baselines/alerts.yaml": Self.alerts,
            "baselines/dashboards.yaml": Self.dashboard(Self.linkedPanels),
            "overlays/production.yaml": """
                apiVersion: vigil/v1
                kind: Overlay
                name: production
                appliesTo: {stage: production}
                dashboards:
                  ops:
                    title: Production operations
                    panels:
                      cpu: null
                      errors:
                        thresholds: [{value: 0.03, color: purple}]
                """,
            "environments/shop-prod.yaml": Self.environment(),
        ])
        let dashboard = try #require(resolved?.dashboards.first, "\(diagnostics.sorted)")
        #expect(dashboard.title == "Production operations")
        #expect(dashboard.panels.map(\.id) == ["errors"])
        #expect(dashboard.panels[0].thresholds == [DashboardThreshold(value: Decimal(string: "0.03")!, color: "purple")])
        #expect(dashboard.provenance.origin(of: "title")?.setAt.file == "overlays/production.yaml")
    }

    // MARK: Diagnostics

    @Test("bad references and panels are located errors", arguments: [
        ("thresholds: [{alert: ↓db-cpux}]", "dashboard/unknown-reference", "did you mean 'db-cpu'?"),
        ("thresholds: [{alert: ↓db-connections-anomaly}]", "dashboard/threshold-unavailable", nil),
        ("thresholds: [{alert: ↓role-change}]", "dashboard/threshold-unavailable", nil),
        ("thresholds: [↓{color: red}]", "schema/exclusive-fields", nil),
    ] as [(String, String, String?)])
    func thresholdDiagnostics(_ thresholds: String, _ id: String, _ hint: String?) throws {
        let panels = """
                  cpu:
                    title: CPU
                    kind: timeseries
                    row: 1
                    query: {prometheus: up}
                    \(thresholds)
            """
        let marked = MarkedText(Self.dashboard(panels))
        let (_, diagnostics) = try Self.resolve([
            "baselines/alerts.yaml": Self.alerts, "baselines/dashboards.yaml": marked.text,
            "environments/shop-prod.yaml": Self.environment(),
        ])
        let found = diagnostics.all.first { $0.id.rawValue == id }
        #expect(found?.location?.file == "baselines/dashboards.yaml" && found?.location?.start == marked.marker, "\(diagnostics.sorted)")
        if let hint { #expect(found?.hint == hint) }
    }

    @Test("panel problems are located errors", arguments: [
        ("kind: slo\n        slo: ↓webx", "dashboard/unknown-reference"),
        ("kind: timeseries\n        query: {prometheus: ↓'sum(x{namespace=\"$tenant\"})'}", "dashboard/undefined-variable"),
        ("kind: timeseries\n        query: {log: ↓'T | where $__timeFilter(TimeGenerated)'}", "dashboard/undefined-variable"),
        ("kind: ↓timeseries", "dashboard/invalid-panel"),
        ("kind: ↓text", "dashboard/invalid-panel"),
    ])
    func panelDiagnostics(_ body: String, _ id: String) throws {
        let panels = "      p:\n        title: P\n        row: 1\n        \(body)\n"
        let marked = MarkedText(Self.dashboard(panels))
        let (_, diagnostics) = try Self.resolve([
            "baselines/alerts.yaml": Self.alerts, "baselines/dashboards.yaml": marked.text,
            "environments/shop-prod.yaml": Self.environment(),
        ])
        let found = diagnostics.all.first { $0.id.rawValue == id }
        #expect(found?.location?.start == marked.marker, "\(id): \(diagnostics.sorted)")
        #expect(found?.hint != nil)
    }

    @Test("a PromQL panel where no Prometheus runs, and KQL panels without a workspace, are render errors")
    func renderErrors() throws {
        let noPrometheus = Self.environment(prometheus: "none")
        let result = try Self.compile([
            "baselines/alerts.yaml": "apiVersion: vigil/v1\nkind: Baseline\nname: alerts\n",
            "baselines/dashboards.yaml": Self.dashboard(Self.linkedPanels.replacingOccurrences(of: "thresholds: [{alert: db-cpu}]", with: "")
                .replacingOccurrences(of: "thresholds: [{alert: http-5xx}, {value: 0.02, color: yellow}]", with: "")),
            "environments/shop-prod.yaml": noPrometheus.replacingOccurrences(of: "  workspace: law-shop-prod\n", with: ""),
        ])
        let ids = Set(result.diagnostics.all.map(\.id.rawValue))
        #expect(ids == ["render/no-prometheus", "render/no-workspace"], "\(result.diagnostics.sorted)")
    }
}
