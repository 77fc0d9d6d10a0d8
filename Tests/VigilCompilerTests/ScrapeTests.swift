import Foundation
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

/// Scrape monitors, the managed-Prometheus keep-list and the Container Insights settings: the
/// PromQL metric-name extractor, how `monitors` resolve and fail, and — for every example
/// environment on managed Prometheus — that every series its rules read is kept by the add-on
/// or scraped by one of its own monitors.
@Suite("Scrape monitors and agent settings")
struct ScrapeTests {
    // MARK: PromQL metric names

    struct ExtractorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var expr: String
        var expected: [String]
        var testDescription: String { name }
    }

    static let extractorCases: [ExtractorCase] = [
        ExtractorCase(name: "bare metric and comparison", expr: "up == 0", expected: ["up"]),
        ExtractorCase(
            name: "functions are not metrics", expr: "time() - max_over_time(velero_backup_last_successful_timestamp[1h]) > 3600",
            expected: ["velero_backup_last_successful_timestamp"]),
        ExtractorCase(
            name: "label matchers, regexes and strings with braces",
            expr: #"kube_pod_status_phase{phase=~"Pending|Unknown", namespace!="kube-{system}", pod='a}b'} > 0"#,
            expected: ["kube_pod_status_phase"]),
        ExtractorCase(
            name: "escaped quotes inside strings", expr: #"foo{a="x\"}{y", b=`raw}`} + bar"#, expected: ["bar", "foo"]),
        ExtractorCase(
            name: "by, without and aggregation operators",
            expr: "sum by (namespace, pod) (rate(a_total[5m])) / sum without (instance, job) (b_total) > count(c) and topk(3, d)",
            expected: ["a_total", "b_total", "c", "d"]),
        ExtractorCase(
            name: "trailing grouping clause", expr: "sum(rate(x_total[5m])) by (service, le)", expected: ["x_total"]),
        ExtractorCase(
            name: "on(), ignoring and group_left with and without labels",
            expr: "a / on () b * on (pod) group_left (node) c + ignoring (code) group_right d unless on(x) group_left e",
            expected: ["a", "b", "c", "d", "e"]),
        ExtractorCase(
            name: "offset, @ and durations", expr: "rate(x_total[5m] offset 1h) - rate(x_total[1h:5m] @ end()) > bool 1e-3",
            expected: ["x_total"]),
        ExtractorCase(
            name: "recording-rule names with colons",
            expr: "traefik_service:requests_5xx:rate5m / traefik_service:requests:rate5m > 0.05",
            expected: ["traefik_service:requests:rate5m", "traefik_service:requests_5xx:rate5m"]),
        ExtractorCase(
            name: "label_replace arguments are strings",
            expr: #"sum by (service) (label_replace(rate(t_total{code=~"5.."}[5m]), "service", "$1", "exported_service", "(.+)"))"#,
            expected: ["t_total"]),
        ExtractorCase(name: "__name__ matcher", expr: #"{__name__="kube_node_info", node="a"}"#, expected: ["kube_node_info"]),
        ExtractorCase(
            name: "numbers, Inf, NaN, hex and keywords in upper case",
            expr: "SUM BY (x) (m) > +Inf or m2 != NaN OR m3 > 0x1F",
            expected: ["m", "m2", "m3"]),
        ExtractorCase(
            name: "comments and template references", expr: "a > ${limit} # b is not read\n  or c", expected: ["a", "c"]),
        ExtractorCase(
            name: "dashboard variables", expr: #"sum(rate(r_total{namespace="$tenant"}[$__rate_interval])) by ($group) / $divisor + s"#,
            expected: ["r_total", "s"]),
        ExtractorCase(
            name: "absent, vector and subquery",
            expr: "absent(velero_backup_attempt_total) or vector(0) + max_over_time(deriv(q[5m])[1h:1m])",
            expected: ["q", "velero_backup_attempt_total"]),
        ExtractorCase(
            name: "histogram_quantile and count_values", expr: #"histogram_quantile(0.95, sum by (le) (rate(h_bucket[5m]))) + count_values("v", g)"#,
            expected: ["g", "h_bucket"]),
    ]

    @Test("the PromQL extractor finds metric names and nothing else", arguments: extractorCases)
    func extractor(_ c: ExtractorCase) {
        #expect(PromQLMetrics.names(in: c.expr) == c.expected)
    }

    @Test("the extractor agrees with the catalogue's extractor on every library and example expression")
    func extractorsAgree() throws {
        let result = try Compiler().compile(Compiler.Options(root: Self.examples))
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.sorted)")
        var compared = 0
        for environment in result.environments {
            for expr in Self.expressions(environment) {
                #expect(PromQLMetrics.names(in: expr) == Self.catalogueNames(expr).sorted(), "\(expr)")
                compared += 1
            }
        }
        #expect(compared > 50)
    }

    // MARK: The example fleet on managed Prometheus

    /// Every PromQL expression of an environment: alerting and recording rules, dashboard queries.
    static func expressions(_ environment: ResolvedEnvironment) -> [String] {
        var expressions = environment.recordingRules.map(\.expr)
        for alert in environment.alerts {
            if case .prometheus(let p) = alert.criteria { expressions.append(p.expr) }
        }
        for panel in environment.dashboards.flatMap(\.panels) {
            expressions += panel.queries.filter { $0.language == .prometheus }.map(\.text)
        }
        return expressions
    }

    /// The catalogue's extractor, with Grafana's `$variables` (which it does not know) replaced.
    static func catalogueNames(_ expr: String) -> Set<String> {
        let variables = try! NSRegularExpression(pattern: #"\$(?!\{)[A-Za-z_][A-Za-z0-9_]*"#)
        let plain = variables.stringByReplacingMatches(in: expr, range: NSRange(expr.startIndex..., in: expr), withTemplate: "0")
        return Set(SignalExtractor.promSeries(plain))
    }

    static let examples = PackagePaths.root.appendingPathComponent("examples")

    /// The AKS default target of a metric family, written independently of the renderer from
    /// `shared/reference/kubernetes-targets.md` §1.4 and §2.4.
    static func expectedTarget(_ metric: String) -> String? {
        let families = [
            ("kube_", "kubestate"), ("container_", "cadvisor"), ("kubelet_", "kubelet"), ("node_", "nodeexporter"),
        ]
        return families.first { metric.hasPrefix($0.0) }?.1
    }

    static func document(_ output: EnvironmentOutput, _ path: String) throws -> [CanonicalValue] {
        guard let file = output.files.first(where: { $0.path == path }) else { return [] }
        return try ArtifactReader.yamlDocuments(file.bytes)
    }

    static func string(_ value: CanonicalValue?, _ path: String...) -> String? {
        var current = value
        for key in path {
            guard case .object(let fields)? = current else { return nil }
            current = fields[key]
        }
        if case .string(let s)? = current { return s }
        return nil
    }

    /// The keep-list of a rendered `ama-metrics-settings-configmap`, by target.
    static func renderedKeepList(_ output: EnvironmentOutput) throws -> [String: Set<String>] {
        guard let configMap = try document(output, "kubernetes/ama-metrics-settings-configmap.yaml").first else { return [:] }
        #expect(string(configMap, "metadata", "namespace") == "kube-system")
        #expect(string(configMap, "data", "schema-version") == "v2")
        let clusterMetrics = try #require(string(configMap, "data", "cluster-metrics"))
        let sections = try #require(try ArtifactReader.yamlDocuments(Data(clusterMetrics.utf8)).first)
        let keep = try #require(string(sections, "default-targets-metrics-keep-list"))
        let enabled = try #require(string(sections, "default-targets-scrape-enabled"))
        #expect(string(sections, "minimal-ingestion-profile") == "enabled = true")
        var result: [String: Set<String>] = [:]
        for line in keep.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let target = parts[0]
            let regex = parts[1].dropFirst().dropLast()
            result[target] = Set(regex.split(separator: "|").map(String.init))
            #expect(enabled.contains("\(target) = true"), "target \(target) is kept but not enabled")
        }
        return result
    }

    @Test("every series the rules and dashboards of a managed-Prometheus example read is kept under its target or scraped by its own monitor")
    func managedExamplesKeepEverything() throws {
        let result = try Compiler().compile(Compiler.Options(root: Self.examples))
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.sorted)")
        let managed = result.environments.filter { $0.facts.components["prometheus"] == "managed" }
        #expect(managed.count >= 3)
        var kept = 0
        for environment in managed {
            let output = try #require(result.outputs.first { $0.name == environment.name })
            let keep = try Self.renderedKeepList(output)
            let monitorObjects = Set(
                try Self.document(output, "kubernetes/monitors.yaml").compactMap { object -> String? in
                    guard Self.string(object, "apiVersion") == "azmonitoring.coreos.com/v1" else { return nil }
                    return Self.string(object, "metadata", "name")
                })
            // The rules' and dashboards' series, read with the catalogue's extractor (not the renderer's).
            var used = Set<String>()
            for expr in Self.expressions(environment) { used.formUnion(Self.catalogueNames(expr)) }
            used.subtract(environment.recordingRules.map(\.record))
            #expect(!used.isEmpty)
            for metric in used.sorted() {
                let monitor = environment.monitors.first { $0.publishes(metric) }
                if let monitor {
                    #expect(
                        monitorObjects.contains("\(environment.name)-\(monitor.id)"),
                        "\(environment.name): \(metric) is published by monitor '\(monitor.id)', which is not rendered")
                    #expect(!keep.values.contains { $0.contains(metric) }, "\(environment.name): \(metric) is scraped by a monitor and needs no keep-list entry")
                } else if let target = Self.expectedTarget(metric) {
                    #expect(keep[target]?.contains(metric) == true, "\(environment.name): \(metric) is not in the keep-list of \(target)")
                    kept += 1
                } else {
                    Issue.record("\(environment.name): nothing scrapes \(metric): no default target publishes it and no monitor lists it")
                }
            }
            // Nothing else is kept: every entry is a series some rule reads, under its own target.
            for (target, metrics) in keep {
                for metric in metrics {
                    #expect(used.contains(metric) && Self.expectedTarget(metric) == target, "\(environment.name): \(target) keeps \(metric)")
                }
            }
        }
        #expect(kept > 0)
    }

    @Test("in-cluster examples get monitoring.coreos.com monitors and no managed settings")
    func inClusterExamples() throws {
        let result = try Compiler().compile(Compiler.Options(root: Self.examples))
        let inCluster = result.environments.filter { $0.facts.components["prometheus"] == "in-cluster" }
        #expect(!inCluster.isEmpty)
        for environment in inCluster {
            let output = try #require(result.outputs.first { $0.name == environment.name })
            #expect(!output.files.contains { $0.path == "kubernetes/ama-metrics-settings-configmap.yaml" })
            let objects = try Self.document(output, "kubernetes/monitors.yaml")
            #expect(objects.count == environment.monitors.count && !objects.isEmpty)
            for object in objects {
                #expect(Self.string(object, "apiVersion") == "monitoring.coreos.com/v1")
                #expect(Self.string(object, "metadata", "namespace") == PrometheusRenderer.namespace)
                #expect(Self.string(object, "metadata", "labels", "app.kubernetes.io/managed-by") == "vigil")
            }
        }
    }

    // MARK: Resolution and diagnostics

    static let baseline = """
        apiVersion: vigil/v1
        kind: Baseline
        name: scrape
        monitors:
          traefik:
            kind: PodMonitor
            namespace: traefik
            selector: {app.kubernetes.io/name: traefik}
            port: metrics
            metrics: [traefik_*]
            covers: [ingress.scraped]
            when: {components.prometheus: [managed, in-cluster]}

        """

    static func environment(_ components: String, extra: String = "") -> String {
        """
        apiVersion: vigil/v1
        kind: Environment
        name: shared-prod
        tier: multi-tenant
        stage: production
        region: westeurope
        components: \(components)
        azure:
          subscriptionId: 00000000-0000-0000-0000-000000000001
          resourceGroup: rg
          resources:
            aks: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks
            monitor-workspace: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Monitor/accounts/amw
        tenants:
          contoso: {namespace: odoo-contoso}
          fabrikam: {namespace: odoo-fabrikam}

        """ + extra
    }

    static func compile(_ files: [String: String]) throws -> Compiler.Result {
        let tree = try FixtureTree()
        try tree.write("vigil.yaml", isolatedConfig)
        for (path, text) in files { try tree.write(path, text) }
        return try Compiler().compile(Compiler.Options(root: tree.url))
    }

    @Test("monitors merge by id, take defaults, follow 'when' and count as coverage")
    func resolution() throws {
        let result = try Self.compile([
            "baselines/scrape.yaml": Self.baseline + "requires:\n  ingress.scraped: {description: Traefik is scraped}\n",
            "environments/shared-prod.yaml": Self.environment(
                "{prometheus: managed}",
                extra: "overrides:\n  monitors:\n    traefik: {interval: 15s, namespace: [ingress-b, ingress-a]}\n"),
            "environments/bare-dev.yaml": Self.environment("{}").replacingOccurrences(of: "name: shared-prod", with: "name: bare-dev"),
        ])
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.sorted)")
        let prod = try #require(result.environments.first { $0.name == "shared-prod" })
        let monitor = try #require(prod.monitors.first)
        #expect(monitor.kind == .podMonitor && monitor.port == "metrics" && monitor.path == "/metrics")
        #expect(monitor.interval == Duration(seconds: 15))
        #expect(monitor.namespaces == ["ingress-a", "ingress-b"])
        #expect(monitor.provenance.fields["interval"]?.file == "environments/shared-prod.yaml")
        #expect(monitor.publishes("traefik_service_requests_total") && !monitor.publishes("traefik"))
        let bare = try #require(result.environments.first { $0.name == "bare-dev" })
        #expect(bare.monitors.isEmpty)
        let findings = PolicyEngine().check(result).all.filter { $0.id == "policy/required-signals" }
        #expect(findings.map { $0.location?.file } == ["environments/bare-dev.yaml"], "the monitor covers the signal where it applies")
    }

    @Test("a template instance generates one monitor per tenant")
    func templateMonitors() throws {
        let template = """
            apiVersion: vigil/v1
            kind: Template
            name: tenant-exporter
            monitors:
              exporter-${tenant.id}:
                kind: ServiceMonitor
                namespace: ${tenant.namespace}
                selector: {app: odoo-exporter}
                port: metrics

            """
        let result = try Self.compile([
            "templates/tenant-exporter.yaml": template,
            "baselines/scrape.yaml": "apiVersion: vigil/v1\nkind: Baseline\nname: scrape\ninstances:\n  exporters: {template: tenant-exporter, forEach: tenant}\n",
            "environments/shared-prod.yaml": Self.environment("{prometheus: in-cluster}"),
        ])
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.sorted)")
        let monitors = try #require(result.environments.first).monitors
        #expect(monitors.map(\.id) == ["exporter-contoso", "exporter-fabrikam"])
        #expect(monitors.map(\.namespaces) == [["odoo-contoso"], ["odoo-fabrikam"]])
    }

    @Test("bad monitors are reported where they are written")
    func badMonitors() throws {
        let unknown = MarkedText(
            "apiVersion: vigil/v1\nkind: Baseline\nname: scrape\nmonitors:\n  x:\n    kind: ServiceMonitor\n    selector: {app: x}\n    port: metrics\n    ↓intervall: 30s\n")
        var result = try Self.compile([
            "baselines/scrape.yaml": unknown.text, "environments/shared-prod.yaml": Self.environment("{prometheus: managed}"),
        ])
        let key = try #require(result.diagnostics.all.first { $0.id == "schema/unknown-key" })
        #expect(key.location?.start == unknown.marker && key.hint?.contains("interval") == true)

        let badPort = MarkedText(
            "apiVersion: vigil/v1\nkind: Baseline\nname: scrape\nmonitors:\n  x:\n    kind: ServiceMonitor\n    selector: {app: x}\n    port: ↓Metrics_Port\n")
        result = try Self.compile([
            "baselines/scrape.yaml": badPort.text, "environments/shared-prod.yaml": Self.environment("{prometheus: managed}"),
        ])
        #expect(result.diagnostics.all.contains { $0.id == "schema/invalid-value" && $0.location?.start == badPort.marker })

        let noPrometheus = MarkedText(
            "apiVersion: vigil/v1\nkind: Baseline\nname: scrape\nmonitors:\n  ↓x:\n    kind: ServiceMonitor\n    selector: {app: x}\n    port: metrics\n")
        result = try Self.compile([
            "baselines/scrape.yaml": noPrometheus.text, "environments/shared-prod.yaml": Self.environment("{ingress: traefik}"),
        ])
        let missing = try #require(result.diagnostics.all.first { $0.id == "render/no-prometheus" })
        #expect(missing.location?.start == noPrometheus.marker && result.outputs.isEmpty)

        let empty = MarkedText(
            "apiVersion: vigil/v1\nkind: Baseline\nname: scrape\nmonitors:\n  x:\n    kind: PodMonitor\n    ↓selector: {}\n    port: metrics\n")
        result = try Self.compile([
            "baselines/scrape.yaml": empty.text, "environments/shared-prod.yaml": Self.environment("{prometheus: in-cluster}"),
        ])
        let selector = try #require(result.diagnostics.all.first { $0.id == "render/empty-selector" })
        #expect(selector.location?.start == empty.marker)
    }

    // MARK: Container Insights

    static func collection(_ fields: String, resources: String? = nil) throws -> ScrapeRenderer.LogCollection? {
        var environment = Self.environment("{prometheus: managed}", extra: "overrides:\n  monitors:\n    traefik: {namespace: [traefik, ingress-extra]}\n")
        if let resources { environment = environment.replacingOccurrences(of: "/Microsoft.ContainerService/managedClusters/aks", with: resources) }
        let result = try Self.compile([
            "baselines/scrape.yaml": Self.baseline + "collection:\n  ci:\n    kind: containerInsights\n    resource: aks\n" + fields,
            "environments/shared-prod.yaml": environment,
        ])
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.sorted)")
        return ScrapeRenderer.logCollection(try #require(result.environments.first))
    }

    @Test("Container Insights excludes system namespaces, or everything known but what the sources collect")
    func containerInsightsNamespaces() throws {
        let system = ScrapeRenderer.systemNamespaces
        let all = try #require(try Self.collection("    tables: [ContainerLogV2]\n"))
        #expect(all.enabled && all.schemaVersion == "v2" && all.excluded == system)

        let listed = try #require(try Self.collection("    tables: [ContainerLogV2]\n    namespaces: [kube-system, traefik]\n"))
        #expect(listed.excluded == (system.filter { $0 != "kube-system" } + ["ingress-extra", "odoo-contoso", "odoo-fabrikam"]).sorted())

        let tenants = try #require(try Self.collection("    tables: [ContainerLogV2]\n    namespaces: [traefik]\n    tenantNamespaces: true\n"))
        #expect(tenants.excluded == (system + ["ingress-extra"]).sorted())

        let legacy = try #require(try Self.collection("    tables: [ContainerLog, KubeEvents]\n"))
        #expect(legacy.enabled && legacy.schemaVersion == "v1")
        let inventoryOnly = try #require(try Self.collection("    tables: [KubePodInventory]\n"))
        #expect(!inventoryOnly.enabled)

        #expect(try Self.collection("    tables: [ContainerLogV2]\n", resources: "/Microsoft.Kubernetes/connectedClusters/arc") == nil)
    }
}
