import VigilModel

/// The definitions language, version `vigil/v1`, as a schema: one ``ObjectSchema`` per kind.
///
/// `docs/definitions.md` is the prose form of this file; keep the two in step.
public enum DefinitionsSchema {
    /// The only `apiVersion` this Vigil reads.
    public static let apiVersion = "vigil/v1"

    private static func f(_ name: String, _ schema: Schema, required: Bool = false) -> FieldSchema {
        FieldSchema(name, schema, required: required)
    }

    private static let header: [FieldSchema] = [
        f("apiVersion", .enumeration([apiVersion]), required: true),
        f("kind", .enumeration(["Baseline", "Config", "Environment", "Overlay", "Template"]), required: true),
        f("name", .string(.name), required: true),
        f("description", .string(.text)),
    ]

    // MARK: Shared pieces

    /// Azure comparison operators for static thresholds.
    public static let staticOperators = [
        "Equals", "GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual",
    ]
    /// Azure aggregations.
    public static let aggregations = ["Average", "Count", "Maximum", "Minimum", "Total"]
    /// Business-impact categories.
    public static let impacts = [
        "availability", "compliance", "cost", "data-loss", "performance", "security",
    ]
    /// Monitoring layers.
    public static let layers = ["application", "backup", "data", "ingress", "platform", "security"]
    /// Facts a `when` selector may name (besides `components.<name>`).
    public static let selectorFacts = ["compliance", "region", "stage", "tier"]

    static let failingPeriods = Schema.object(
        ObjectSchema(
            "failing periods",
            [
                f("evaluations", .integer(1...6), required: true),
                f("violations", .integer(1...6), required: true),
            ]))

    static let selector = Schema.map(key: .fact, value: .scalarOrList(.string(.text)))

    /// A signal id (`backup.freshness`): what `requires` demands and `covers` provides.
    static let signalID = StringFormat.pattern("^[a-z][a-z0-9-]*(\\.[a-z0-9-]+)*$", description: "a signal id")

    /// How an item that alerts by itself (alert, probe) responds, pages and counts.
    static let alerting: [FieldSchema] = [
        f("response", .string(.text)),
        f("impact", .enumeration(impacts)),
        f("severity", .integer(0...4), required: true),
        f("route", .string(.name)),
        f("covers", .list(.string(signalID))),
        f("enabled", .boolean),
    ]

    /// What every alerting item (alert, probe, SLO) says about itself first.
    static let itemHeader: [FieldSchema] = [
        f("title", .string(.text), required: true),
        f("description", .string(.text)),
        f("layer", .enumeration(layers), required: true),
        f("owner", .string(.text)),
        f("runbook", .string(.url)),
    ]

    static func dimensions(_ operators: [String]) -> Schema {
        .map(
            key: .any,
            value: .object(
                ObjectSchema(
                    "dimension filter",
                    [
                        f("operator", .enumeration(operators), required: true),
                        f("values", .list(.string(.text)), required: true),
                    ])))
    }

    static let dynamicThreshold = Schema.object(
        ObjectSchema(
            "dynamic threshold",
            [
                f("operator", .enumeration(["GreaterOrLessThan", "GreaterThan", "LessThan"]), required: true),
                f("sensitivity", .enumeration(["High", "Low", "Medium"]), required: true),
                f("failingPeriods", failingPeriods),
                f(
                    "ignoreDataBefore",
                    .string(.pattern("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$", description: "a UTC date-time"))),
            ]))

    /// `metric:` criteria of an alert.
    public static let metricCriteria = ObjectSchema(
        "metric criteria",
        [
            f("resource", .string(.name), required: true),
            f(
                "resourceType",
                .string(.pattern("^[A-Za-z.]+/[A-Za-z/]+$", description: "an ARM resource type")), required: true),
            f("namespace", .string(.text), required: true),
            f("metric", .string(.text), required: true),
            f("aggregation", .enumeration(aggregations), required: true),
            f("operator", .enumeration(staticOperators)),
            f("threshold", .number),
            f("dynamic", dynamicThreshold),
            f("dimensions", dimensions(["Exclude", "Include", "StartsWith"])),
            f("window", .duration, required: true),
            f("frequency", .duration, required: true),
            f("skipMetricValidation", .boolean),
        ],
        exactlyOneOf: [["threshold", "dynamic"]],
        requiresFields: ["threshold": ["operator"]],
        conflicts: ["dynamic": ["operator"]])

    /// `log:` criteria of an alert.
    public static let logCriteria = ObjectSchema(
        "log criteria",
        [
            f("query", .string(.text), required: true),
            f("tables", .list(.string(.pattern("^[A-Za-z0-9_]+$", description: "a table name"))), required: true),
            f("scope", .string(.name)),
            f("aggregation", .enumeration(aggregations), required: true),
            f("measureColumn", .string(.text)),
            f("resourceIdColumn", .string(.text)),
            f("operator", .enumeration(staticOperators), required: true),
            f("threshold", .number, required: true),
            f("dimensions", dimensions(["Exclude", "Include"])),
            f("window", .duration, required: true),
            f("frequency", .duration, required: true),
            f("failingPeriods", failingPeriods),
            f("muteActionsFor", .duration),
        ])
    // measureColumn is needed unless aggregation is Count: checked by the log-alert renderer.

    /// `activityLog:` criteria of an alert.
    public static let activityLogCriteria = ObjectSchema(
        "activity-log criteria",
        [
            f(
                "category",
                .enumeration([
                    "Administrative", "Autoscale", "Policy", "Recommendation", "ResourceHealth", "Security",
                    "ServiceHealth",
                ]), required: true),
            f("operationName", .string(.text)),
            f("conditions", .map(key: .any, value: .scalarOrList(.string(.text)))),
        ])

    /// `prometheus:` criteria of an alert.
    public static let prometheusCriteria = ObjectSchema(
        "prometheus criteria",
        [
            f("expr", .string(.text), required: true),
            f("for", .duration),
            f("group", .string(.name)),
            f("labels", .map(key: .pattern("^[a-zA-Z_][a-zA-Z0-9_]*$", description: "a label name"), value: .string(.text))),
        ])

    /// One alert of a `Baseline`, `Overlay`, `Template` or the environment's `overrides`.
    public static let alert = ObjectSchema(
        "alert",
        itemHeader + alerting + [
            f("autoMitigate", .boolean),
            f("when", selector),
            f("metric", .object(metricCriteria)),
            f("log", .object(logCriteria)),
            f("activityLog", .object(activityLogCriteria)),
            f("prometheus", .object(prometheusCriteria)),
        ],
        exactlyOneOf: [["activityLog", "log", "metric", "prometheus"]])

    /// A recording rule.
    public static let recordingRule = ObjectSchema(
        "recording rule",
        [
            f("record", .string(.pattern("^[a-zA-Z_:][a-zA-Z0-9_:]*$", description: "a metric name")), required: true),
            f("expr", .string(.text), required: true),
            f("group", .string(.name)),
            f("labels", .map(key: .pattern("^[a-zA-Z_][a-zA-Z0-9_]*$", description: "a label name"), value: .string(.text))),
            f("when", selector),
        ])

    /// A Prometheus rule group's settings.
    public static let ruleGroup = ObjectSchema(
        "rule group",
        [f("interval", .duration, required: true)])

    /// A Log Analytics table's retention.
    public static let retention = ObjectSchema(
        "table retention",
        [
            f("plan", .enumeration(["Analytics", "Auxiliary", "Basic"])),
            f("retentionInDays", .integer(4...730)),
            f("totalRetentionInDays", .integer(4...4383)),
            f("covers", .list(.string(signalID))),
            f("when", selector),
        ])

    /// A required signal.
    public static let requirement = ObjectSchema(
        "required signal",
        [
            f("description", .string(.text), required: true),
            f("when", selector),
        ])

    /// A template instance.
    public static let instance = ObjectSchema(
        "template instance",
        [
            f("template", .string(.name), required: true),
            f("forEach", .enumeration(["slo", "tenant"])),
            f("parameters", .map(key: .pattern("^[a-zA-Z][a-zA-Z0-9]*$", description: "a parameter name"), value: .any)),
            f("when", selector),
        ])

    /// Where the environment's logs come from: what makes a Log Analytics table collected.
    public static let collectionSource = ObjectSchema(
        "collection source",
        [
            f("kind", .enumeration(["applicationInsights", "containerInsights", "dataCollectionRule", "diagnosticSetting"]), required: true),
            f("resource", .string(.name)),
            f("categories", .list(.string(.text))),
            f("tables", .list(.string(.pattern("^[A-Za-z][A-Za-z0-9_]{3,62}$", description: "a table name"))), required: true),
            f("namespaces", .list(.string(.name))),
            f("tenantNamespaces", .boolean),
            f("when", selector),
        ])

    /// Kubernetes labels: qualified keys (`app.kubernetes.io/name`) and non-empty values.
    static let kubernetesLabels = Schema.map(
        key: .pattern(
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$",
            description: "a Kubernetes label key"),
        value: .string(.pattern("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$", description: "a Kubernetes label value")))

    /// A scrape target of the environment's Prometheus (`monitors.<id>`): a ServiceMonitor or
    /// PodMonitor.
    public static let monitor = ObjectSchema(
        "monitor",
        [
            f("kind", .enumeration(ScrapeMonitor.Kind.allCases.map(\.rawValue)), required: true),
            f("namespace", .scalarOrList(.string(.name))),
            f("selector", kubernetesLabels, required: true),
            f("port", .string(.pattern("^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$", description: "a named port (IANA service name)")), required: true),
            f("path", .string(.pattern("^/[^\\s]*$", description: "an HTTP path starting with /"))),
            f("interval", .duration),
            f("scheme", .enumeration(["http", "https"])),
            f("honorLabels", .boolean),
            f("labels", kubernetesLabels),
            f("metrics", .list(.string(.pattern("^[a-zA-Z_:][a-zA-Z0-9_:]*\\*?$", description: "a metric name, or a prefix ending in *")))),
            f("covers", .list(.string(signalID))),
            f("when", selector),
        ])

    /// A host name, as tenants and dedicated environments declare it.
    static let hostName = StringFormat.pattern("^[a-z0-9.-]+$", description: "a host name")
    /// A PostgreSQL database name, as tenants and dedicated environments declare it.
    static let databaseName = StringFormat.pattern("^[a-z_][a-z0-9_]*$", description: "a database name")

    /// A synthetic check of a URL users depend on (`probes.<id>`).
    public static let probe = ObjectSchema(
        "synthetic probe",
        itemHeader + alerting + [
            f("when", selector),
            f("check", .enumeration(SyntheticProbe.Check.allCases.map(\.rawValue)), required: true),
            f(
                "url",
                .string(.pattern("^https://[a-z0-9.-]+(:[0-9]{1,5})?(/[^\\s]*)?$", description: "an https:// URL")),
                required: true),
            f("interval", .duration),
            f("timeout", .duration),
            f(
                "locations",
                .list(.string(.pattern("^[a-z]+-[a-z]{2}-[a-z0-9]{2,4}-(azr|edge)$", description: "an Azure test location id")))),
            f("contains", .string(.text)),
            f(
                "login",
                .object(
                    ObjectSchema(
                        "probe login",
                        [
                            f("database", .string(.pattern("^[A-Za-z0-9_.-]+$", description: "a database name")), required: true),
                            f("user", .string(.text), required: true),
                            f("secretRef", .string(.pattern("^[a-zA-Z0-9-]{1,127}$", description: "a Key Vault secret name")), required: true),
                        ]))),
            f("module", .string(.pattern("^[A-Za-z0-9_.-]+$", description: "a blackbox exporter module name"))),
        ],
        conflicts: ["contains": ["login"]])

    static let tableKey = KeyFormat.pattern("^[A-Za-z][A-Za-z0-9_]{3,62}$", description: "a Log Analytics table name")

    /// A continuous export of workspace tables to a storage account or Event Hubs namespace
    /// (`exports.<id>`).
    public static let dataExport = ObjectSchema(
        "data export",
        [
            f("tables", .list(.string(.pattern("^[A-Za-z][A-Za-z0-9_]{3,62}$", description: "a table name"))), required: true),
            f("destination", .string(.name), required: true),
            f("covers", .list(.string(signalID))),
            f("when", selector),
        ])

    static let clockTime = Schema.string(.pattern("^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$", description: "a time HH:MM or HH:MM:SS"))
    static let localDateTime = Schema.string(.pattern(
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        description: "a local date-time YYYY-MM-DDTHH:MM[:SS]"))

    /// A planned maintenance window of an environment (`maintenance.<id>`).
    public static let maintenanceWindow = ObjectSchema(
        "maintenance window",
        [
            f("description", .string(.text)),
            f("timeZone", .enumeration(MaintenanceWindow.timeZones), required: true),
            f(
                "weekly",
                .object(ObjectSchema(
                    "weekly schedule",
                    [
                        f("days", .list(.enumeration(MaintenanceWindow.days)), required: true),
                        f("start", clockTime, required: true),
                        f("end", clockTime, required: true),
                    ]))),
            f(
                "once",
                .object(ObjectSchema(
                    "one-off schedule",
                    [f("start", localDateTime, required: true), f("end", localDateTime, required: true)]))),
            f("severities", .list(.integer(0...4))),
            f("resources", .list(.string(.name))),
        ],
        exactlyOneOf: [["once", "weekly"]])

    /// Waivers: in `vigil.yaml` they may name an environment; in an environment or overlay they
    /// apply to the environment(s) the file applies to.
    static func waivers(scoped: Bool) -> Schema {
        var fields = [
            f("rule", .string(.text), required: true),
            f("item", .string(.text), required: true),
            f("reason", .string(.text), required: true),
            f("owner", .string(.text), required: true),
            f("expires", .string(.pattern("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description: "a date YYYY-MM-DD")), required: true),
        ]
        if scoped { fields.insert(f("environment", .string(.name)), at: 1) }
        return .map(key: .name, value: .object(ObjectSchema("waiver", fields)))
    }

    /// The keyed collections a Baseline, Overlay or override carries.
    static let collections: [FieldSchema] = [
        f("alerts", .map(key: .name, value: .object(alert))),
        f("recordingRules", .map(key: .name, value: .object(recordingRule))),
        f("ruleGroups", .map(key: .name, value: .object(ruleGroup))),
        f("retention", .map(key: tableKey, value: .object(retention))),
        f("requires", .map(key: .pattern("^[a-z][a-z0-9-]*(\\.[a-z0-9-]+)*$", description: "a signal id"), value: .object(requirement))),
        f("instances", .map(key: .name, value: .object(instance))),
        f("collection", .map(key: .name, value: .object(collectionSource))),
        f("monitors", .map(key: .name, value: .object(monitor))),
        f("exports", .map(key: .name, value: .object(dataExport))),
        f("probes", .map(key: .name, value: .object(probe))),
        f("slos", .map(key: .name, value: .object(slo))),
        f("dashboards", .map(key: .name, value: .object(dashboard))),
    ]

    // MARK: Kinds

    /// `kind: Baseline`: the standard items every matching environment gets.
    public static let baseline = ObjectSchema("baseline", header + collections)

    /// `kind: Overlay`: a layer for one tier, compliance class or stage.
    public static let overlay = ObjectSchema(
        "overlay",
        header + [
            f(
                "appliesTo",
                .object(
                    ObjectSchema(
                        "overlay target",
                        [
                            f("tier", .enumeration(Tier.allCases.map(\.rawValue))),
                            f("stage", .enumeration(Stage.allCases.map(\.rawValue))),
                            f("compliance", .string(.name)),
                        ], exactlyOneOf: [["compliance", "stage", "tier"]])), required: true),
            f("waivers", waivers(scoped: false)),
        ] + collections)

    static let parameter = ObjectSchema(
        "template parameter",
        [
            f("type", .enumeration(["duration", "list", "map", "number", "string"]), required: true),
            f("description", .string(.text)),
            f("required", .boolean),
            f("default", .any),
        ])

    /// `kind: Template`: a parameterised set of items.
    public static let template = ObjectSchema(
        "template",
        header + [
            f("parameters", .map(key: .pattern("^[a-zA-Z][a-zA-Z0-9]*$", description: "a parameter name"), value: .object(parameter))),
            f("alerts", .map(key: .pattern("^[a-z0-9${}.-]+$", description: "an id, possibly with ${parameters}"), value: .object(alert))),
            f("recordingRules", .map(key: .pattern("^[a-z0-9${}.-]+$", description: "an id, possibly with ${parameters}"), value: .object(recordingRule))),
            f("monitors", .map(key: .pattern("^[a-z0-9${}.-]+$", description: "an id, possibly with ${parameters}"), value: .object(monitor))),
            f("probes", .map(key: .pattern("^[a-z0-9${}.-]+$", description: "an id, possibly with ${parameters}"), value: .object(probe))),
            f("slos", .map(key: .pattern("^[a-z0-9${}.-]+$", description: "an id, possibly with ${parameters}"), value: .object(slo))),
        ])

    static let receiver = ObjectSchema(
        "receiver",
        [
            f("type", .enumeration(Receiver.Kind.allCases.map(\.rawValue)), required: true),
            f("address", .string(.pattern("^[^@\\s]+@[^@\\s]+$", description: "an e-mail address"))),
            f("countryCode", .string(.pattern("^[0-9]{1,3}$", description: "a country calling code"))),
            f("phoneNumber", .string(.pattern("^[0-9]{4,15}$", description: "digits only"))),
            f("secretRef", .string(.pattern("^[a-zA-Z0-9-]{1,127}$", description: "a Key Vault secret name"))),
            f("oncall", .boolean),
        ])

    static let actionGroup = ObjectSchema(
        "action group",
        [
            f("shortName", .string(.pattern("^.{1,12}$", description: "at most 12 characters")), required: true),
            f("purpose", .enumeration(ActionGroupPurpose.allCases.map(\.rawValue)), required: true),
            f("resourceId", .string(.resourceID)),
            f("receivers", .map(key: .name, value: .object(receiver))),
        ])

    static let tenant = ObjectSchema(
        "tenant",
        [
            f("displayName", .string(.text)),
            f("namespace", .string(.name)),
            f("host", .string(hostName)),
            f("database", .string(databaseName)),
            f("route", .string(.name)),
        ])

    /// An SLI query pair: good events and all events, in one backend's language.
    static func indicator(_ title: String, _ extra: [FieldSchema] = []) -> Schema {
        .object(ObjectSchema(
            title,
            [
                f("good", .string(.text), required: true),
                f("total", .string(.text), required: true),
            ] + extra))
    }

    /// A service-level objective: compiled into multi-window, multi-burn-rate alerts (and, for
    /// Prometheus, one recording rule per window).
    public static let slo = ObjectSchema(
        "SLO",
        itemHeader + [
            f("objective", .number, required: true),
            f("period", .duration, required: true),
            f(
                "indicator",
                .object(ObjectSchema(
                    "SLO indicator",
                    [
                        f("prometheus", indicator("PromQL indicator")),
                        f("log", indicator("KQL indicator", [f("scope", .string(.name))])),
                    ],
                    exactlyOneOf: [["log", "prometheus"]])),
                required: true),
            f("route", .string(.name)),
            f("ticketRoute", .string(.name)),
            f("covers", .list(.string(signalID))),
            f("when", selector),
        ])

    /// `kind: Environment`: one deployment.
    public static let environment = ObjectSchema(
        "environment",
        header + [
            f("owner", .string(.text)),
            f("tier", .enumeration(Tier.allCases.map(\.rawValue)), required: true),
            f("stage", .enumeration(Stage.allCases.map(\.rawValue)), required: true),
            f("region", .string(.pattern("^[a-z][a-z0-9]*$", description: "an Azure region name")), required: true),
            f("compliance", .list(.string(.name))),
            f("components", .map(key: .name, value: .string(.name))),
            f(
                "azure",
                .object(
                    ObjectSchema(
                        "azure scope",
                        [
                            f("subscriptionId", .string(.uuid), required: true),
                            f("resourceGroup", .string(.pattern("^[-\\w._()]{1,90}$", description: "a resource group name")), required: true),
                            f("workspace", .string(.pattern("^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$", description: "a workspace name"))),
                            f("resources", .map(key: .name, value: .scalarOrList(.string(.resourceID)))),
                        ])), required: true),
            f(
                "recovery",
                .object(ObjectSchema("recovery objectives", [f("rpo", .duration), f("rto", .duration)]))),
            f("tags", .map(key: .pattern("^[^<>%&\\\\?/]{1,512}$", description: "an Azure tag name"), value: .string(.text))),
            f("actionGroups", .map(key: .name, value: .object(actionGroup))),
            f("host", .string(hostName)),
            f("database", .string(databaseName)),
            f("tenants", .map(key: .name, value: .object(tenant))),
            f("slos", .map(key: .name, value: .object(slo))),
            f("maintenance", .map(key: .name, value: .object(maintenanceWindow))),
            f("overrides", .object(ObjectSchema("overrides", collections))),
            f("waivers", waivers(scoped: false)),
        ])

    /// `vigil.yaml`: the root configuration.
    public static let config = ObjectSchema(
        "config",
        header + [
            f("library", .string(.text)),
            f("output", .string(.text)),
            f(
                "policy",
                .object(
                    ObjectSchema(
                        "policy settings",
                        [
                            f("disable", .list(.string(.text))),
                            f("severity", .map(key: .any, value: .enumeration(["error", "note", "warning"]))),
                            f("options", .map(key: .any, value: .map(key: .any, value: .scalarOrList(.string(.text))))),
                        ]))),
            f("waivers", waivers(scoped: true)),
        ])

    /// The schema of a kind name.
    /// - Parameter kind: `Baseline`, `Overlay`, …
    /// - Returns: Its schema.
    public static func schema(forKind kind: String) -> ObjectSchema? {
        switch kind {
        case "Baseline": baseline
        case "Overlay": overlay
        case "Template": template
        case "Environment": environment
        case "Config": config
        default: nil
        }
    }
}
