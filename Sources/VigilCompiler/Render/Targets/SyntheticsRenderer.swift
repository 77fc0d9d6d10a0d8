import Foundation
public import VigilModel

/// Renders the environment's synthetic checks (`probes`) for the prober its
/// `components.synthetics` names:
/// - `blackbox` (with `components.prometheus: in-cluster`) → `kubernetes/probes.yaml`: one
///   `monitoring.coreos.com/v1` Probe per enabled probe, scraped through the blackbox exporter at
///   ``blackboxAddress``. Their alerts are the `<id>-failing` Prometheus rules the resolver
///   generates, rendered by ``PrometheusRenderer``;
/// - `application-insights` → `azure/synthetics.json`: per probe an Application Insights
///   standard availability test (`Microsoft.Insights/webtests` 2022-06-15) on the component
///   `azure.resources.app-insights`, and its availability alert (`Microsoft.Insights/metricAlerts`
///   2018-03-01, `WebtestLocationAvailabilityCriteria`), plus `azure/synthetics.parameters.json`
///   with the Key Vault references of login passwords.
///
/// Stage: render. Names are `<environment>-<id>` (tests, Probe objects) and
/// `<environment>-<id>-failing` (availability alerts). Passwords never appear: a login test's
/// body is built at deployment from a `securestring` parameter that the parameters file fills
/// from Key Vault. Alerts reference action groups by id and do not depend on them: the groups are
/// in `azure/alerts.json`, which deploys first.
public struct SyntheticsRenderer: ArtifactRenderer {
    /// `kubernetes` or `azure`, by prober.
    public static let target = "synthetics"
    /// The blackbox exporter's Service (`host:port`) Probe objects send their scrapes to.
    public static let blackboxAddress = "blackbox-exporter.monitoring.svc:9115"
    /// Namespace of the Probe objects (the Prometheus stack's).
    public static let namespace = PrometheusRenderer.namespace
    /// Test frequencies Application Insights accepts, in seconds.
    public static let webtestFrequencies = [300, 600, 900]
    /// Test timeouts Application Insights accepts, in seconds.
    public static let webtestTimeouts = [30, 60, 90, 120]
    /// Application Insights' default interval and timeout.
    public static let webtestDefaults = (interval: Duration(seconds: 300), timeout: Duration(seconds: 30))
    /// A test fails when the certificate expires within this many days.
    public static let certificateDays = 7
    /// Text a successful Odoo `authenticate` answer contains and an error answer does not.
    public static let loginMatch = "\"uid\""
    /// The Application Insights component key in `azure.resources`.
    public static let componentKey = "app-insights"

    /// Creates the renderer.
    public init() {}

    /// Renders the probes, or reports that nothing in the environment can run them.
    public func render(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        guard let first = environment.probes.first else { return [] }
        let components = environment.facts.components
        switch components["synthetics"] {
        case "blackbox" where components["prometheus"] == "in-cluster":
            return inCluster(environment, diagnostics: &diagnostics)
        case "application-insights":
            return applicationInsights(environment, diagnostics: &diagnostics)
        default:
            let hint =
                components["synthetics"] == "blackbox"
                ? "managed Prometheus has no Probe objects: set 'components.synthetics: application-insights' (Azure availability tests), or run Prometheus in the cluster"
                : "set 'components.synthetics' to 'blackbox' (in-cluster Prometheus) or 'application-insights', or limit the probes with 'when'"
            diagnostics.append(Diagnostic(
                "render/no-prober", "probe '\(first.id)' has nothing to run it in environment '\(environment.name)'",
                at: first.provenance.definedAt, hint: hint,
                notes: [DiagnosticNote("environment defined here", at: environment.definedAt)]))
            return []
        }
    }

    static func at(_ probe: SyntheticProbe, _ path: String) -> SourceSpan {
        probe.provenance.location(of: path) ?? probe.provenance.definedAt
    }

    // MARK: In-cluster blackbox exporter

    func inCluster(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        var objects: [CanonicalValue] = []
        for probe in environment.probes where probe.enabled {
            let interval = probe.interval ?? ProbeDecoder.defaultInterval
            if let timeout = probe.timeout, timeout > interval {
                diagnostics.append(Diagnostic(
                    "render/unsupported-duration", "probe '\(probe.id)' may take \(timeout) but runs every \(interval)",
                    at: Self.at(probe, "timeout"), hint: "Prometheus needs the scrape timeout to be at most the interval"))
                continue
            }
            if let text = probe.contains, probe.module == nil {
                diagnostics.append(Diagnostic(
                    "render/probe-content-match", severity: .warning,
                    "in the cluster, module '\(probe.blackboxModule)' of probe '\(probe.id)' does not check that the page contains '\(text)'",
                    at: Self.at(probe, "contains"),
                    hint: "name a blackbox module whose fail_if_body_not_matches_regexp checks it in 'module'"))
            }
            var labels = ["vigil_probe": probe.id, "vigil_environment": environment.name, "check": probe.check.rawValue]
            if let tenant = environment.itemTenants[probe.id] { labels["tenant"] = tenant }
            objects.append(.fields([
                "apiVersion": .string("monitoring.coreos.com/v1"),
                "kind": .string("Probe"),
                "metadata": .fields([
                    "name": .string("\(environment.name)-\(probe.id)"),
                    "namespace": .string(Self.namespace),
                    "labels": .strings([
                        "app.kubernetes.io/managed-by": "vigil", "vigil.dev/environment": environment.name,
                        "vigil.dev/item": probe.id,
                    ]),
                ]),
                "spec": .fields([
                    "prober": .fields(["url": .string(Self.blackboxAddress)]),
                    "module": .string(probe.blackboxModule),
                    "interval": .string(interval.prometheus),
                    "scrapeTimeout": probe.timeout.map { .string($0.prometheus) },
                    "targets": .fields([
                        "staticConfig": .fields(["static": .array([.string(probe.url)]), "labels": .strings(labels)])
                    ]),
                ]),
            ]))
        }
        guard !objects.isEmpty else { return [] }
        return [ArtifactDocument(path: "kubernetes/probes.yaml", value: .array(objects), format: .yaml, multiDocument: true)]
    }

    // MARK: Application Insights availability tests

    func applicationInsights(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        guard let component = environment.azure.resources[Self.componentKey]?.first else {
            diagnostics.append(Diagnostic(
                "render/unknown-resource",
                "environment '\(environment.name)' runs its probes as Application Insights availability tests but defines no '\(Self.componentKey)' resource",
                at: environment.definedAt,
                hint: "add the Application Insights component id as azure.resources.\(Self.componentKey)",
                notes: [DiagnosticNote("probe '\(environment.probes[0].id)' defined here", at: environment.probes[0].provenance.definedAt)]))
            return []
        }
        let groups = ARMTemplateRenderer.actionGroupReferences(environment)
        let renderer = ARMTemplateRenderer()
        var resources: [CanonicalValue] = []
        var parameters: CanonicalObject = [:]
        var values: CanonicalObject = [:]
        for probe in environment.probes {
            guard let test = webtest(probe, environment: environment, parameters: &parameters, values: &values, diagnostics: &diagnostics),
                let actions = ARMTemplateRenderer.actionGroupIDs(
                    route: probe.route, item: "probe '\(probe.id)'", at: Self.at(probe, "route"), environment: environment,
                    groups: groups, diagnostics: &diagnostics)
            else { continue }
            let name = "\(environment.name)-\(probe.id)"
            let testID = "[resourceId('Microsoft.Insights/webtests', '\(name)')]"
            let interval = probe.interval ?? Self.webtestDefaults.interval
            // The shortest metric-alert window that holds one run of every location.
            let window = ARMTemplateRenderer.metricWindows.first { $0 >= interval.seconds } ?? 3600
            resources.append(test)
            resources.append(.fields([
                "type": .string("Microsoft.Insights/metricAlerts"),
                "apiVersion": .string("2018-03-01"),
                "name": .string("\(environment.name)-\(probe.alertID)"),
                "location": .string("global"),
                "tags": renderer.tags(environment, item: probe.id, layer: probe.layer.rawValue),
                "dependsOn": .array([.string(testID)]),
                "properties": .fields([
                    "description": .string("Synthetic check failing: \(probe.title)"),
                    "severity": .int(probe.severity),
                    "enabled": .bool(probe.enabled),
                    "scopes": .array([.string(testID), .string("[variables('appInsightsId')]")]),
                    // Two scopes: the rule names the type and region of what it watches, the test.
                    "targetResourceType": .string("Microsoft.Insights/webtests"),
                    "targetResourceRegion": .string(environment.facts.region),
                    "evaluationFrequency": .string("PT1M"),
                    "windowSize": .string(Duration(seconds: window).iso8601),
                    "criteria": .fields([
                        "odata.type": .string("Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria"),
                        "webTestId": .string(testID),
                        "componentId": .string("[variables('appInsightsId')]"),
                        "failedLocationCount": .int(max(1, probe.locations.count - 2)),
                    ]),
                    "actions": .array(actions.ids.map { .fields(["actionGroupId": .string($0), "webHookProperties": .object([:])]) }),
                ]),
            ]))
        }
        guard !resources.isEmpty else { return [] }
        resources.sort { ARMTemplateRenderer.sortKey($0).lexicographicallyPrecedes(ARMTemplateRenderer.sortKey($1)) }
        var documents = [
            ArtifactDocument(
                path: "azure/synthetics.json",
                value: .fields([
                    "$schema": .string(ARMTemplateRenderer.templateSchema), "contentVersion": .string("1.0.0.0"),
                    "parameters": parameters.isEmpty ? nil : .object(parameters),
                    "variables": .fields(["appInsightsId": .string(component)]),
                    "resources": .array(resources),
                ]),
                format: .json)
        ]
        if !values.isEmpty {
            documents.append(ArtifactDocument(
                path: "azure/synthetics.parameters.json",
                value: .fields([
                    "$schema": .string(ARMTemplateRenderer.parametersSchema), "contentVersion": .string("1.0.0.0"),
                    "parameters": .object(values),
                ]),
                format: .json))
        }
        return documents
    }

    /// One standard availability test, or nil after reporting why it cannot be rendered.
    func webtest(
        _ probe: SyntheticProbe, environment: ResolvedEnvironment, parameters: inout CanonicalObject,
        values: inout CanonicalObject, diagnostics: inout Diagnostics
    ) -> CanonicalValue? {
        var ok = true
        let interval = probe.interval ?? Self.webtestDefaults.interval
        let timeout = probe.timeout ?? Self.webtestDefaults.timeout
        if !Self.webtestFrequencies.contains(interval.seconds) {
            diagnostics.append(Diagnostic(
                "render/unsupported-duration", "availability test '\(probe.id)' cannot run every \(interval)",
                at: Self.at(probe, "interval"), hint: "Application Insights runs tests every 5m, 10m or 15m"))
            ok = false
        }
        if !Self.webtestTimeouts.contains(timeout.seconds) {
            diagnostics.append(Diagnostic(
                "render/unsupported-duration", "availability test '\(probe.id)' cannot time out after \(timeout)",
                at: Self.at(probe, "timeout"), hint: "Application Insights accepts 30s, 1m, 90s or 2m"))
            ok = false
        }
        if probe.locations.isEmpty {
            diagnostics.append(Diagnostic(
                "render/probe-locations", "availability test '\(probe.id)' names no test locations",
                at: probe.provenance.definedAt,
                hint: "add 'locations', e.g. [emea-nl-ams-azr, emea-gb-db3-azr, emea-fr-pra-edge, emea-ch-zrh-edge, emea-se-sto-edge]; Azure recommends five"))
            ok = false
        }
        var request: CanonicalObject = [
            "RequestUrl": .string(probe.url),
            "HttpVerb": .string(probe.check == .login ? "POST" : "GET"),
            "FollowRedirects": .bool(probe.check == .page),
            "ParseDependentRequests": .bool(false),
        ]
        var rules: CanonicalObject = [
            "ExpectedHttpStatusCode": .int(200),
            "SSLCheck": .bool(true),
            "SSLCertRemainingLifetimeCheck": .int(Self.certificateDays),
        ]
        if let login = probe.login {
            guard let vault = environment.azure.resources["keyvault"]?.first else {
                diagnostics.append(Diagnostic(
                    "render/probe-secret",
                    "login probe '\(probe.id)' reads its password from Key Vault secret '\(login.secretRef)', but environment '\(environment.name)' defines no 'keyvault' resource",
                    at: Self.at(probe, "login.secretRef"), hint: "add the Key Vault's id as azure.resources.keyvault",
                    notes: [DiagnosticNote("environment defined here", at: environment.definedAt)]))
                return nil
            }
            let parameter = "probe-password-\(login.secretRef)"
            parameters[parameter] = .fields(["type": .string("securestring")])
            values[parameter] = .fields([
                "reference": .fields(["keyVault": .fields(["id": .string(vault)]), "secretName": .string(login.secretRef)])
            ])
            request["Headers"] = .array([.fields(["key": .string("Content-Type"), "value": .string("application/json")])])
            request["RequestBody"] = .string(Self.loginBody(login, parameter: parameter))
            rules["ContentValidation"] = Self.contentMatch(Self.loginMatch)
        } else if let text = probe.contains {
            rules["ContentValidation"] = Self.contentMatch(text)
        }
        guard ok else { return nil }
        let name = "\(environment.name)-\(probe.id)"
        var tags = ARMTemplateRenderer().tags(environment, item: probe.id, layer: probe.layer.rawValue)
        if case .object(var fields) = tags {
            // Azure requires this link to the component; the key is computed from the one variable
            // that holds the component id.
            fields["[format('hidden-link:{0}', variables('appInsightsId'))]"] = .string("Resource")
            tags = .object(fields)
        }
        return .fields([
            "type": .string("Microsoft.Insights/webtests"),
            "apiVersion": .string("2022-06-15"),
            "name": .string(name),
            "location": .string(environment.facts.region),
            "kind": .string("standard"),
            "tags": tags,
            "properties": .fields([
                "SyntheticMonitorId": .string(name),
                // The test's name is what `AppAvailabilityResults.Name` records, so it is the
                // stable resource name (KQL SLOs filter on it); the title leads the description.
                "Name": .string(name),
                "Description": .string(probe.description.map { "\(probe.title). \($0)" } ?? probe.title),
                "Enabled": .bool(probe.enabled),
                "Frequency": .int(interval.seconds),
                "Timeout": .int(timeout.seconds),
                "Kind": .string("standard"),
                "RetryEnabled": .bool(true),
                "Locations": .array(probe.locations.map { .fields(["Id": .string($0)]) }),
                "Request": .object(request),
                "ValidationRules": .object(rules),
            ]),
        ])
    }

    static func contentMatch(_ text: String) -> CanonicalValue {
        .fields(["ContentMatch": .string(text), "IgnoreCase": .bool(false), "PassIfTextFound": .bool(true)])
    }

    /// The JSON-RPC body of Odoo's `/web/session/authenticate`, base64-encoded, built by ARM at
    /// deployment so that the password only ever comes from the `securestring` parameter.
    static func loginBody(_ login: SyntheticProbe.Login, parameter: String) -> String {
        func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
        let params =
            "createObject('db', \(literal(login.database)), 'login', \(literal(login.user)), 'password', parameters('\(parameter)'))"
        return "[base64(string(createObject('jsonrpc', '2.0', 'params', \(params))))]"
    }
}
