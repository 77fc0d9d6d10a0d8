import Foundation
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

/// Conformance with what the platform vendors deploy: Vigil translations of Azure Monitor
/// Baseline Alerts (AMBA) and of upstream Prometheus rules, rendered by the real compiler and
/// compared field by field with the reference data in `shared/reference` (read-only, found as
/// `PackagePaths.root/../shared`; when it is missing every test records an issue saying so).
///
/// Fixtures live in `Fixtures/Conformance/` (its README explains how to add a case).
///
/// **AMBA** (`amba/input/` is a root, `amba/cases.json` lists `id` → AMBA file): for each case the
/// resource named `conformance-<id>` in `conformance/azure/alerts.json` is compared with the
/// `resolved` resource of the case's file under `shared/reference/amba/arm/` after these
/// normalisations, each a function below:
///
/// - ``typedScalars(_:)`` (AMBA side): the policy fills parameters as strings; the fields ARM
///   types as numbers or Booleans (`severity`, `enabled`, `autoMitigate`, criteria `threshold`,
///   `failingPeriods.*`) are coerced (`"3"` → `3`, `"true"` → `true`). Dimension values stay text.
/// - ``placeholders(_:table:)`` (Vigil side): the environment's concrete ids become AMBA's
///   placeholders — the case's target resource id → `<TARGET_RESOURCE_ID>`, the subscription scope
///   → `/subscriptions/<SUBSCRIPTION_ID>`, the region → `<TARGET_LOCATION>`. Ids of other
///   resources are left alone, so an alert scoped to the wrong resource still fails.
/// - ``dropDeliberateDifferences(_:)`` (both sides) removes, with the reason:
///   - `name`, `properties.displayName`: Vigil names resources `<environment>-<id>`, AMBA
///     `<TARGET_RESOURCE_NAME>-<metric>`;
///   - `tags`: Vigil writes `vigil-environment`/`vigil-item`/`vigil-layer`, AMBA
///     `_deployed_by_amba`;
///   - `dependsOn`, `properties.actions`: routing; the fixture has no `route`, AMBA's policy
///     attaches action groups separately (or through an unresolvable expression);
///   - `properties.description`: prose (Vigil writes the alert's description or title);
///   - `properties.criteria.allOf[].name`: the criterion's name; Vigil writes `criterion1`, AMBA
///     the metric name — a label with no effect on evaluation;
///   - `properties.parameters`: an AMBA artifact — the policy copies its parameter block into
///     the resource's properties; it is not part of the alert;
///   - `identity`, `properties.checkWorkspaceAlertsStorageConfigured`: log alerts only; AMBA's
///     ALZ policy deploys a user-assigned identity (its query calls `arg("")`, Azure Resource
///     Graph) and the default `false`. Vigil renders neither — see the README, a known gap;
///   - `apiVersion` of `Microsoft.Insights/scheduledQueryRules` only: AMBA deploys
///     `2022-08-01-preview`, Vigil `2023-12-01`; every compared field has the same shape in both.
///     Metric (`2018-03-01`) and activity-log (`2020-10-01`) API versions are compared.
/// - ``dropVigilOnlyFields(_:amba:)`` (Vigil side, only when AMBA leaves the field out):
///   `properties.targetResourceType`/`targetResourceRegion` (Vigil writes them for every
///   multi-resource criteria, also for dynamic thresholds on one resource, where Azure derives
///   them) and `kind: LogAlert` (the API's default).
/// - ``caseInsensitive(_:)`` (both sides): `type`, `location` and dimension `operator` are
///   compared lowercased. ARM treats resource types, locations and enum values case-insensitively;
///   AMBA writes `microsoft.insights/activityLogAlerts` and, for Redis `primary` and Storage
///   `authentication`, the operator `include`, which Vigil's enum (`Include`) cannot spell.
/// - ``canonicalDimensions(_:)`` (both sides): a criterion without `dimensions` has `[]` (Vigil
///   always writes the list), and dimensions are sorted by name (their order has no meaning).
///
/// Everything else is compared exactly: `type`, `apiVersion`, `location`, `severity`,
/// `enabled`, `scopes`, `evaluationFrequency`, `windowSize`, `autoMitigate`, `criteria`
/// (`odata.type`, and per criterion `criterionType`, `metricName`, `metricNamespace`,
/// `operator`, `threshold`, `timeAggregation`, `dimensions`, `alertSensitivity`,
/// `failingPeriods`; for log alerts `query`, `metricMeasureColumn`, `resourceIdColumn`),
/// `targetResourceType`/`targetResourceRegion` where AMBA sets them, and the activity-log
/// `condition` leaves. A field on one side only is a mismatch. Mismatches are reported per path:
/// `properties.criteria.allOf[0].threshold: AMBA 60, Vigil 70`.
///
/// **Prometheus** (`prom/input/` is a root with `components.prometheus: in-cluster`,
/// `prom/expected.json` the source rules): the test target cannot parse YAML (no Yams), so
/// `expected.json` is the source rules converted verbatim by
/// `python3 Tests/VigilCompilerTests/Fixtures/Conformance/prom/make-expected.py ../shared/reference`
/// (run from the package root, stdout to `prom/expected.json`) from
/// `prom/raw/kube-prometheus/manifests/kubernetesControlPlane-prometheusRule.groups.yaml`
/// (KubePodCrashLooping), `…/nodeExporter-prometheusRule.groups.yaml`
/// (NodeFilesystemAlmostOutOfSpace, critical), `prom/raw/cloudnative-pg/docs/src/samples/monitoring/alerts.yaml`
/// (LongRunningTransaction), `prom/raw/postgres_exporter/postgres_mixin/rendered-alerts.yaml`
/// (PostgresHasHighDeadLocks) and `prom/raw/redis_exporter/contrib/redis-mixin/rendered-alerts.yaml`
/// (RedisOutOfMemory). The Vigil side is the rendered `conformance/kubernetes/prometheus-rules.yaml`:
/// the test re-renders the environment with ``PrometheusRenderer``, checks that the document's
/// bytes are the file's bytes, and reads the rule from the document's tree (no YAML parsing).
/// Compared: `alert` (the id in UpperCamelCase must be the upstream name), `expr` (exactly),
/// `for` (as a duration: ``prometheusDuration(_:)``), `labels` and `annotations` (`summary`,
/// `description`, `runbook_url`), after ``dropVigilLabels(_:)`` removes `vigil_environment`
/// and `vigil_route`, Vigil's routing labels. Rule groups are not compared (upstream group
/// names such as `cnp-default.rules` or `PostgreSQL` are not Vigil names); a source field Vigil
/// does not model (e.g. `keep_firing_for`) is reported.
@Suite("Conformance with AMBA and upstream Prometheus rules")
struct ConformanceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Conformance")
    /// `shared/reference`, next to the package.
    static let reference = PackagePaths.root.deletingLastPathComponent().appendingPathComponent("shared/reference")

    // MARK: - Cases

    /// One AMBA case of `amba/cases.json`.
    struct AMBACase: Decodable, Sendable, CustomTestStringConvertible {
        /// The Vigil alert id in `amba/input/baselines/amba.yaml`.
        var id: String
        /// The AMBA file, relative to `shared/reference`.
        var arm: String
        /// The alert's id in `amba/expected.json`, or nil for an ALZ policy it does not list.
        var amba: String?
        /// The `azure.resources` key the alert monitors; nil for subscription-scoped alerts.
        var target: String?
        var testDescription: String { id }
    }

    /// One Prometheus case of `prom/expected.json`.
    struct PromCase: Decodable, Sendable, CustomTestStringConvertible {
        /// The Vigil alert id in `prom/input/baselines/prom.yaml`.
        var id: String
        /// The source file, relative to `shared/reference`.
        var source: String
        /// The source rule group.
        var group: String
        /// The source rule, verbatim.
        var rule: JSONValue
        var testDescription: String { id }
    }

    static func loadAMBACases() throws -> [AMBACase] {
        struct File: Decodable { var cases: [AMBACase] }
        let data = try Data(contentsOf: fixtures.appendingPathComponent("amba/cases.json"))
        return try JSONDecoder().decode(File.self, from: data).cases
    }

    static func loadPromCases() throws -> [PromCase] {
        struct File: Decodable { var cases: [PromCase] }
        let data = try Data(contentsOf: fixtures.appendingPathComponent("prom/expected.json"))
        return try JSONDecoder().decode(File.self, from: data).cases
    }

    static let ambaCases: [AMBACase] = (try? loadAMBACases()) ?? []
    static let promCases: [PromCase] = (try? loadPromCases()) ?? []

    /// The reference folder, or nil after recording an issue that it is missing.
    static func referenceFolder() -> URL? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: reference.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return reference
        }
        Issue.record(
            "reference data not found at \(reference.path) (expected PackagePaths.root/../shared/reference); conformance cases cannot run")
        return nil
    }

    /// Compiles a fixture root; records diagnostics as issues.
    static func compile(_ root: String) throws -> (result: Compiler.Result, environment: ResolvedEnvironment, files: [String: Data])? {
        let result = try Compiler().compile(Compiler.Options(root: fixtures.appendingPathComponent(root)))
        if !result.diagnostics.all.isEmpty {
            Issue.record(Comment(rawValue: "\(root) does not compile cleanly:\n" + TextReporter().report(result.diagnostics.sorted)))
        }
        guard let environment = result.environments.first, let output = result.outputs.first, result.environments.count == 1
        else {
            Issue.record("\(root) must render exactly one environment")
            return nil
        }
        var files: [String: Data] = [:]
        for file in output.files { files["\(output.name)/\(file.path)"] = file.bytes }
        return (result, environment, files)
    }

    static func decode(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    /// The rendered ARM resources of the AMBA root, by name.
    static func renderedAMBA() throws -> (environment: ResolvedEnvironment, resources: [String: JSONValue])? {
        guard let compiled = try compile("amba/input") else { return nil }
        guard let bytes = compiled.files["conformance/azure/alerts.json"] else {
            Issue.record("conformance/azure/alerts.json was not rendered; files: \(compiled.files.keys.sorted())")
            return nil
        }
        var resources: [String: JSONValue] = [:]
        for resource in try decode(bytes)["resources"]?.arrayValue ?? [] {
            if let name = resource["name"]?.stringValue { resources[name] = resource }
        }
        return (compiled.environment, resources)
    }

    // MARK: - AMBA

    @Test("the AMBA cases cover the required services and shapes")
    func ambaCoverage() throws {
        let cases = try Self.loadAMBACases()
        #expect(cases.count >= 15, "at least 15 AMBA cases")
        #expect(Set(cases.map(\.id)).count == cases.count, "case ids are unique")
        for service in ["/ContainerService/", "/DBforPostgreSQL/", "/Cache/Redis/", "/Storage/", "/KeyVault/", "/Resources/subscriptions/"] {
            #expect(cases.contains { $0.arm.contains(service) }, "a case from \(service)")
        }
        guard let reference = Self.referenceFolder() else { return }
        let resolved = try cases.map { try Self.ambaResolved($0, reference: reference) }
        let criteria = resolved.flatMap { $0?["properties"]?["criteria"]?["allOf"]?.arrayValue ?? [] }
        #expect(criteria.contains { $0["criterionType"] == .string("DynamicThresholdCriterion") }, "a dynamic threshold")
        #expect(criteria.contains { !($0["dimensions"]?.arrayValue ?? []).isEmpty }, "a case with dimensions")
        let activity = resolved.filter { $0?["type"]?.stringValue?.lowercased() == "microsoft.insights/activitylogalerts" }
        #expect(activity.count >= 2, "at least two activity-log cases")
    }

    @Test("every rendered alert of the AMBA root has a case, and every case a rendered alert")
    func ambaCasesMatchRenderedAlerts() throws {
        let cases = try Self.loadAMBACases()
        guard let resources = try Self.renderedAMBA()?.resources else { return }
        let rendered = Set(resources.keys)
        let expected = Set(cases.map { "conformance-\($0.id)" })
        #expect(rendered.subtracting(expected).sorted() == [], "rendered alerts without a case")
        #expect(expected.subtracting(rendered).sorted() == [], "cases without a rendered alert")
    }

    @Test("rendered ARM resource equals AMBA's resolved resource", arguments: ambaCases)
    func amba(_ testCase: AMBACase) throws {
        guard let reference = Self.referenceFolder() else { return }
        guard let expectedRaw = try Self.ambaResolved(testCase, reference: reference) else { return }
        try Self.checkListedInExpected(testCase, reference: reference)
        guard let rendered = try Self.renderedAMBA() else { return }
        let (environment, resources) = (rendered.environment, rendered.resources)
        guard let actualRaw = resources["conformance-\(testCase.id)"] else {
            Issue.record("no rendered resource named conformance-\(testCase.id); rendered: \(resources.keys.sorted())")
            return
        }
        var table = [
            "/subscriptions/\(environment.azure.subscriptionId)": "/subscriptions/<SUBSCRIPTION_ID>",
            environment.facts.region: "<TARGET_LOCATION>",
        ]
        if let target = testCase.target {
            let ids = environment.azure.resources[target] ?? []
            #expect(ids.count == 1, "resource key '\(target)' names one id")
            for id in ids { table[id] = "<TARGET_RESOURCE_ID>" }
        }
        let (expected, actual) = Self.normalise(amba: expectedRaw, vigil: actualRaw, placeholders: table)
        let differences = Self.diff(expected: expected, actual: actual)
        if !differences.isEmpty {
            Issue.record(Comment(rawValue: """
                conformance-\(testCase.id) differs from \(testCase.arm) (after normalisation):
                  \(differences.joined(separator: "\n  "))
                """))
        }
    }

    /// The case file's one `resolved` alert resource, or nil after recording why not.
    static func ambaResolved(_ testCase: AMBACase, reference: URL) throws -> JSONValue? {
        let url = reference.appendingPathComponent(testCase.arm)
        guard let data = try? Data(contentsOf: url) else {
            Issue.record("\(testCase.id): AMBA file \(url.path) not found")
            return nil
        }
        let alerts = try decode(data)["alerts"]?.arrayValue ?? []
        guard alerts.count == 1, let alert = alerts.first, let resolved = alert["resolved"] else {
            Issue.record("\(testCase.id): \(testCase.arm) must hold exactly one alert with a resolved resource, has \(alerts.count)")
            return nil
        }
        if let unresolved = alert["unresolved"]?.arrayValue, !unresolved.isEmpty {
            Issue.record("\(testCase.id): \(testCase.arm) has unresolved expressions: \(unresolved)")
        }
        return resolved
    }

    /// Checks that `amba/expected.json` lists the case's alert and points at the same AMBA file.
    static func checkListedInExpected(_ testCase: AMBACase, reference: URL) throws {
        guard let id = testCase.amba else { return }
        let data = try Data(contentsOf: reference.appendingPathComponent("amba/expected.json"))
        guard let entry = try decode(data).arrayValue?.first(where: { $0["id"]?.stringValue == id }) else {
            Issue.record("\(testCase.id): amba/expected.json has no alert \(id)")
            return
        }
        let armSource = try decode(Data(contentsOf: reference.appendingPathComponent(testCase.arm)))["source"]?.stringValue ?? ""
        let source = entry["source"]
        let alz = source?["alzPolicies"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(
            source?["policyTemplate"]?.stringValue == armSource || alz.contains((armSource as NSString).lastPathComponent),
            "\(testCase.id): expected.json alert \(id) comes from \(source.map { "\($0)" } ?? "nowhere"), not \(armSource)")
    }

    // MARK: - AMBA normalisations

    /// Applies every AMBA normalisation (see the suite's documentation) and returns the pair to
    /// compare.
    static func normalise(amba: JSONValue, vigil: JSONValue, placeholders table: [String: String]) -> (JSONValue, JSONValue) {
        var expected = typedScalars(amba)
        var actual = placeholders(vigil, table: table)
        expected = dropDeliberateDifferences(expected)
        actual = dropDeliberateDifferences(actual)
        actual = dropVigilOnlyFields(actual, amba: expected)
        expected = canonicalDimensions(caseInsensitive(expected))
        actual = canonicalDimensions(caseInsensitive(actual))
        return (expected, actual)
    }

    /// Coerces the string scalars AMBA's policy fills from string parameters into the types ARM
    /// gives those fields (a typed template writes `3`, not `"3"`): `properties.severity` and
    /// `properties.criteria.allOf[].threshold` and `failingPeriods.*` to numbers,
    /// `properties.enabled` and `properties.autoMitigate` to Booleans. Strings that do not parse
    /// stay strings (and then differ); no other field is touched, so dimension values such as
    /// `"true"` stay text.
    static func typedScalars(_ value: JSONValue) -> JSONValue {
        let numbers: Set = [
            "properties.severity", "properties.criteria.allOf[].threshold",
            "properties.criteria.allOf[].failingPeriods.numberOfEvaluationPeriods",
            "properties.criteria.allOf[].failingPeriods.minFailingPeriodsToAlert",
        ]
        let booleans: Set = ["properties.enabled", "properties.autoMitigate"]
        return value.rewritten { pattern, node in
            guard case .string(let text) = node else { return node }
            if numbers.contains(pattern), text.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?/) != nil,
                let number = Decimal(string: text)
            {
                return .number(number)
            }
            if booleans.contains(pattern), text == "true" || text == "false" { return .bool(text == "true") }
            return node
        }
    }

    /// Replaces the environment's concrete values in Vigil's resource with AMBA's placeholders:
    /// every string leaf equal to a key of `table` becomes its value (the case's target id →
    /// `<TARGET_RESOURCE_ID>`, `/subscriptions/<id>` → `/subscriptions/<SUBSCRIPTION_ID>`, the
    /// region → `<TARGET_LOCATION>`). Only whole strings match.
    static func placeholders(_ value: JSONValue, table: [String: String]) -> JSONValue {
        value.rewritten { _, node in
            if case .string(let text) = node, let placeholder = table[text] { return .string(placeholder) }
            return node
        }
    }

    /// Removes the fields Vigil deliberately sets differently from AMBA, or that are AMBA
    /// artifacts, on both sides; the suite's documentation gives each field's reason. The
    /// `scheduledQueryRules` API version is dropped only for that resource type.
    static func dropDeliberateDifferences(_ value: JSONValue) -> JSONValue {
        var dropped: Set = [
            "name", "tags", "dependsOn", "identity", "properties.displayName", "properties.description",
            "properties.actions", "properties.parameters", "properties.checkWorkspaceAlertsStorageConfigured",
            "properties.criteria.allOf[].name",
        ]
        if value["type"]?.stringValue?.lowercased() == "microsoft.insights/scheduledqueryrules" { dropped.insert("apiVersion") }
        return value.rewritten { pattern, node in dropped.contains(pattern) ? nil : node }
    }

    /// Removes from Vigil's resource the fields only Vigil writes, when AMBA's resource leaves
    /// them to Azure's defaults: `properties.targetResourceType` and
    /// `properties.targetResourceRegion` (derived by Azure for a single-resource scope) and the
    /// top-level `kind` (`LogAlert` is the default of `scheduledQueryRules`).
    static func dropVigilOnlyFields(_ vigil: JSONValue, amba: JSONValue) -> JSONValue {
        let optional = ["kind", "properties.targetResourceType", "properties.targetResourceRegion"]
        let absent = Set(optional.filter { amba.value(at: $0) == nil })
        return vigil.rewritten { pattern, node in absent.contains(pattern) ? nil : node }
    }

    /// Lowercases `type`, `location` and each criterion's dimension `operator`: ARM compares
    /// resource types, locations and enum values case-insensitively, and AMBA spells some of
    /// them in lowercase (`microsoft.insights/activityLogAlerts`, operator `include`).
    static func caseInsensitive(_ value: JSONValue) -> JSONValue {
        let paths: Set = ["type", "location", "properties.criteria.allOf[].dimensions[].operator"]
        return value.rewritten { pattern, node in
            if paths.contains(pattern), case .string(let text) = node { return .string(text.lowercased()) }
            return node
        }
    }

    /// Gives every criterion of `properties.criteria.allOf` a `dimensions` list (absent means
    /// none; Vigil always writes the list) and sorts dimensions by name (order has no meaning).
    static func canonicalDimensions(_ value: JSONValue) -> JSONValue {
        value.rewritten { pattern, node in
            guard pattern == "properties.criteria.allOf[]", case .object(var criterion) = node else { return node }
            let dimensions = criterion["dimensions"]?.arrayValue ?? []
            criterion["dimensions"] = .array(dimensions.sorted {
                ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "")
            })
            return .object(criterion)
        }
    }

    // MARK: - Prometheus

    @Test("the Prometheus cases are complete and every rendered rule has a case")
    func prometheusCoverage() throws {
        let cases = try Self.loadPromCases()
        #expect(cases.count >= 5, "at least five Prometheus cases")
        guard let environment = try Self.compile("prom/input")?.environment else { return }
        let alerts = environment.alerts.filter { if case .prometheus = $0.criteria { true } else { false } }
        #expect(alerts.map(\.id).sorted() == cases.map(\.id).sorted(), "one Prometheus alert per case")
        guard let reference = Self.referenceFolder() else { return }
        for testCase in cases {
            let text = (try? String(contentsOf: reference.appendingPathComponent(testCase.source), encoding: .utf8)) ?? ""
            let name = testCase.rule["alert"]?.stringValue ?? "?"
            #expect(text.contains("alert: \(name)"), "\(testCase.source) still defines \(name); regenerate prom/expected.json")
        }
    }

    @Test("rendered PrometheusRule rule equals the upstream rule", arguments: promCases)
    func prometheus(_ testCase: PromCase) throws {
        guard let compiled = try Self.compile("prom/input") else { return }
        let (environment, files) = (compiled.environment, compiled.files)
        let path = "kubernetes/prometheus-rules.yaml"
        guard let bytes = files["conformance/\(path)"] else {
            Issue.record("conformance/\(path) was not rendered; files: \(files.keys.sorted())")
            return
        }
        var diagnostics = Diagnostics()
        let documents = PrometheusRenderer().render(environment, diagnostics: &diagnostics)
        guard let document = documents.first(where: { $0.path == path }) else {
            Issue.record("PrometheusRenderer rendered no \(path)")
            return
        }
        #expect(document.bytes() == bytes, "the re-rendered document is the rendered file")
        let tree = try Self.decode(CanonicalJSONWriter().write(try #require(document.value)))
        let name = testCase.rule["alert"]?.stringValue ?? ""
        let rules = (tree["spec"]?["groups"]?.arrayValue ?? []).flatMap { $0["rules"]?.arrayValue ?? [] }
        let matches = rules.filter { $0["alert"]?.stringValue == name }
        guard matches.count == 1, let rendered = matches.first else {
            Issue.record("""
                \(testCase.id): expected one rendered rule named \(name), found \(matches.count); \
                rendered: \(rules.compactMap { $0["alert"]?.stringValue })
                """)
            return
        }
        let modelled: Set = ["alert", "expr", "for", "labels", "annotations"]
        let unmodelled = (testCase.rule.objectValue ?? [:]).keys.filter { !modelled.contains($0) }.sorted()
        #expect(unmodelled.isEmpty, "\(testCase.id): source fields Vigil does not model: \(unmodelled)")
        let expected = Self.prometheusProjection(testCase.rule)
        let actual = Self.dropVigilLabels(Self.prometheusProjection(rendered))
        let differences = Self.diff(expected: expected, actual: actual, expectedName: "source", actualName: "Vigil")
        if !differences.isEmpty {
            Issue.record(Comment(rawValue: """
                \(name) (\(testCase.id)) differs from \(testCase.source), group \(testCase.group) (after normalisation):
                  \(differences.joined(separator: "\n  "))
                """))
        }
    }

    /// The fields of a rule Vigil models (`alert`, `expr`, `for`, `labels`, `annotations`), with
    /// `for` normalised by ``prometheusDuration(_:)``.
    static func prometheusProjection(_ rule: JSONValue) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        for key in ["alert", "expr", "labels", "annotations"] { fields[key] = rule[key] }
        if let duration = rule["for"] { fields["for"] = prometheusDuration(duration) }
        return .object(fields)
    }

    /// A Prometheus duration (`15m`, `1h30m`, `90s`) as whole seconds, `"900s"`, so that equal
    /// durations spelled differently (`60m`, `1h`) compare equal. Text that is not a duration is
    /// left as it is.
    static func prometheusDuration(_ value: JSONValue) -> JSONValue {
        guard let text = value.stringValue, !text.isEmpty,
            let match = text.wholeMatch(of: /(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?/)
        else { return value }
        let parts = [match.1, match.2, match.3, match.4, match.5].map { $0.flatMap { Int($0) } ?? 0 }
        let seconds = zip(parts, [604_800, 86_400, 3_600, 60, 1]).reduce(0) { $0 + $1.0 * $1.1 }
        return .string("\(seconds)s")
    }

    /// Removes the labels Vigil adds to every in-cluster rule for routing —
    /// `vigil_environment` (the environment's name) and `vigil_route` (the alert's route) — which
    /// no upstream rule has.
    static func dropVigilLabels(_ rule: JSONValue) -> JSONValue {
        rule.rewritten { pattern, node in pattern == "labels.vigil_environment" || pattern == "labels.vigil_route" ? nil : node }
    }

    // MARK: - Diff

    /// Every difference between two trees, one line per path: a scalar that differs, a field on
    /// one side only, a list of different length.
    static func diff(
        expected: JSONValue, actual: JSONValue, path: String = "", expectedName: String = "AMBA", actualName: String = "Vigil"
    ) -> [String] {
        let here = path.isEmpty ? "(root)" : path
        switch (expected, actual) {
        case (.object(let e), .object(let a)):
            return Set(e.keys).union(a.keys).sorted().flatMap { key -> [String] in
                let child = JSONValue.join(path, key)
                switch (e[key], a[key]) {
                case (let ev?, let av?): return diff(expected: ev, actual: av, path: child, expectedName: expectedName, actualName: actualName)
                case (let ev?, nil): return ["\(child): \(expectedName) \(ev), \(actualName) has no such field"]
                case (nil, let av?): return ["\(child): \(actualName) \(av), \(expectedName) has no such field"]
                case (nil, nil): return []
                }
            }
        case (.array(let e), .array(let a)):
            var lines: [String] = []
            if e.count != a.count { lines.append("\(here): \(expectedName) has \(e.count) elements, \(actualName) \(a.count)") }
            for index in 0..<max(e.count, a.count) {
                let child = "\(path)[\(index)]"
                if index < e.count, index < a.count {
                    lines += diff(expected: e[index], actual: a[index], path: child, expectedName: expectedName, actualName: actualName)
                } else if index < e.count {
                    lines.append("\(child): \(expectedName) \(e[index]), \(actualName) has no such element")
                } else {
                    lines.append("\(child): \(actualName) \(a[index]), \(expectedName) has no such element")
                }
            }
            return lines
        default:
            return expected == actual ? [] : ["\(here): \(expectedName) \(expected), \(actualName) \(actual)"]
        }
    }
}

/// A JSON value with exact numbers, for comparing decoded documents.
indirect enum JSONValue: Hashable, Sendable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Decimal.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    var objectValue: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }

    /// The value at a dotted path of object keys (`properties.targetResourceType`).
    func value(at path: String) -> JSONValue? {
        path.split(separator: ".").reduce(Optional(self)) { $0?[String($1)] }
    }

    /// Rewrites the tree top-down. `body` gets each node's pattern path (object keys joined with
    /// `.`, list elements as `[]`: `properties.criteria.allOf[].threshold`; the root is `""`) and
    /// returns the replacement, or nil to remove an object field or list element; children of the
    /// replacement are rewritten next.
    func rewritten(_ body: (String, JSONValue) -> JSONValue?) -> JSONValue {
        rewritten(pattern: "", body) ?? .null
    }

    private func rewritten(pattern: String, _ body: (String, JSONValue) -> JSONValue?) -> JSONValue? {
        guard let node = body(pattern, self) else { return nil }
        switch node {
        case .object(let fields):
            var result: [String: JSONValue] = [:]
            for (key, child) in fields {
                if let value = child.rewritten(pattern: pattern.isEmpty ? key : "\(pattern).\(key)", body) { result[key] = value }
            }
            return .object(result)
        case .array(let items):
            return .array(items.compactMap { $0.rewritten(pattern: "\(pattern)[]", body) })
        default:
            return node
        }
    }

    /// A display path: keys containing `.` are quoted (`criteria."odata.type"`).
    static func join(_ path: String, _ key: String) -> String {
        let part = key.contains(".") ? "\"\(key)\"" : key
        return path.isEmpty ? part : "\(path).\(part)"
    }

    /// Compact JSON text with sorted keys.
    var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): "\(n)"
        case .string(let s): Self.quoted(s)
        case .array(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .object(let fields):
            "{" + fields.keys.sorted().map { "\(Self.quoted($0)): \(fields[$0]!)" }.joined(separator: ", ") + "}"
        }
    }

    private static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
