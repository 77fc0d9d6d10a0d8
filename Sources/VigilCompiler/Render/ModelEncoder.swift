import Foundation
public import VigilModel

/// Encodes a resolved environment as canonical JSON, without source locations: the input of
/// the model digest in `manifest.json`, so a comment-only or reformatting edit changes nothing.
///
/// Stage: render. The encoding streams through a ``StreamingJSONWriter`` (no tree is built; members are
/// written in key order, so the bytes are those of ``CanonicalJSONWriter`` for the same model)
/// and the digest hashes it as it goes.
public enum ModelEncoder {
    /// The SHA-256 (lowercase hex) of the environment's canonical model.
    /// - Parameter environment: The environment.
    /// - Returns: The digest.
    public static func digest(_ environment: ResolvedEnvironment) -> String {
        var writer = StreamingJSONWriter(hashing: true)
        write(environment, to: &writer)
        return writer.finishDigest()
    }

    /// The canonical JSON bytes of the environment's model (what ``digest(_:)`` hashes).
    /// - Parameter environment: The environment.
    /// - Returns: UTF-8 bytes ending in one newline.
    public static func bytes(_ environment: ResolvedEnvironment) -> [UInt8] {
        var writer = StreamingJSONWriter(hashing: false)
        write(environment, to: &writer)
        return writer.finishBytes()
    }

    /// The environment's model as a tree (read back from its canonical bytes), for tools and tests.
    /// - Parameter environment: The environment.
    /// - Returns: The tree.
    public static func encode(_ environment: ResolvedEnvironment) -> CanonicalValue {
        // The writer only writes what the reader reads: a failure here is a writer bug.
        do { return try ArtifactReader.json(Data(bytes(environment))) } catch { preconditionFailure("\(error)") }
    }

    // Every object below names its members in key order (by UTF-8 bytes).

    static func write(_ environment: ResolvedEnvironment, to w: inout StreamingJSONWriter) {
        let f = environment.facts
        w.object { w in
            w.field("actionGroups", objects: environment.actionGroups, write)
            w.field("alerts", objects: environment.alerts, write)
            w.field("azure") { w in
                w.field("resourceGroup", environment.azure.resourceGroup)
                w.key("resources")
                w.object { w in
                    let resources = environment.azure.resources
                    for (key, ids) in resources.sorted(by: { CanonicalBytes.precedes($0.key, $1.key) }) {
                        w.key(key)
                        w.array(ids) { $0.string($1) }
                    }
                }
                w.field("subscriptionId", environment.azure.subscriptionId)
                w.field("workspace", environment.azure.workspace)
            }
            w.field("collection", objects: environment.collection) { w, c in
                w.field("categories", strings: c.categories)
                w.field("id", c.id)
                w.field("kind", c.kind)
                w.field("namespaces", strings: c.namespaces)
                w.field("resource", c.resource)
                w.field("tables", strings: c.tables)
                if c.tenantNamespaces { w.field("tenantNamespaces", true) }
            }
            w.field("compliance", strings: f.compliance)
            w.field("components", map: f.components)
            // Left out when empty, so environments without them keep their digest.
            if !environment.dashboards.isEmpty { w.field("dashboards", objects: environment.dashboards, write) }
            if !environment.exports.isEmpty {
                w.field("exports", objects: environment.exports) { w, e in
                    w.field("covers", strings: e.covers)
                    w.field("destination", e.destination)
                    w.field("id", e.id)
                    w.field("tables", strings: e.tables)
                }
            }
            w.field("host", environment.host)
            if !environment.maintenanceWindows.isEmpty {
                w.field("maintenanceWindows", objects: environment.maintenanceWindows, write)
            }
            if !environment.monitors.isEmpty { w.field("monitors", objects: environment.monitors, write) }
            w.field("name", f.name)
            w.field("owner", environment.owner)
            if !environment.probes.isEmpty { w.field("probes", objects: environment.probes, write) }
            w.field("recordingRules", objects: environment.recordingRules) { w, r in
                w.field("expr", r.expr)
                w.field("group", r.group)
                w.field("id", r.id)
                w.field("labels", map: r.labels)
                w.field("record", r.record)
            }
            w.field("recovery") { w in
                w.field("rpo", environment.recovery.rpo)
                w.field("rto", environment.recovery.rto)
            }
            w.field("region", f.region)
            w.field("requirements", objects: environment.requirements) { w, r in
                w.field("description", r.description)
                w.field("signal", r.signal)
            }
            w.field("retention", objects: environment.retention) { w, r in
                w.field("covers", strings: r.covers)
                w.field("plan", r.plan)
                w.field("retentionInDays", r.retentionInDays)
                w.field("table", r.table)
                w.field("totalRetentionInDays", r.totalRetentionInDays)
            }
            w.key("ruleGroupIntervals")
            w.object { w in
                let intervals = environment.ruleGroupIntervals
                for (key, interval) in intervals.sorted(by: { CanonicalBytes.precedes($0.key, $1.key) }) {
                    w.key(key)
                    w.int(interval.seconds)
                }
            }
            w.field("slos", objects: environment.slos, write)
            w.field("stage", f.stage.rawValue)
            w.field("tags", map: environment.tags)
            w.field("tenants", objects: environment.tenants) { w, t in
                w.field("database", t.database)
                w.field("displayName", t.displayName)
                w.field("host", t.host)
                w.field("id", t.id)
                w.field("namespace", t.namespace)
                w.field("route", t.route)
            }
            w.field("tier", f.tier.rawValue)
        }
    }

    static func write(_ w: inout StreamingJSONWriter, _ slo: ServiceLevelObjective) {
        w.field("covers", strings: slo.covers)
        w.field("id", slo.id)
        w.field("indicator") { w in
            w.field("backend", slo.indicator.backend)
            switch slo.indicator {
            case .prometheus(let good, let total):
                w.field("good", good)
                w.field("total", total)
            case .log(let good, let total, let scope):
                w.field("good", good)
                w.field("scope", scope)
                w.field("total", total)
            }
        }
        w.field("layer", slo.layer.rawValue)
        w.field("objective", slo.objective)
        w.field("period", slo.period.seconds)
        w.field("route", slo.route)
        w.field("ticketRoute", slo.ticketRoute)
        w.field("title", slo.title)
    }

    static func write(_ w: inout StreamingJSONWriter, _ probe: SyntheticProbe) {
        w.field("check", probe.check.rawValue)
        w.field("contains", probe.contains)
        w.field("covers", strings: probe.covers)
        w.field("description", probe.description)
        w.field("enabled", probe.enabled)
        w.field("id", probe.id)
        w.field("impact", probe.impact)
        w.field("interval", probe.interval)
        w.field("layer", probe.layer.rawValue)
        w.field("locations", strings: probe.locations)
        if let login = probe.login {
            w.field("login") { w in
                w.field("database", login.database)
                w.field("secretRef", login.secretRef)
                w.field("user", login.user)
            }
        }
        w.field("module", probe.module)
        w.field("owner", probe.owner)
        w.field("response", probe.response)
        w.field("route", probe.route)
        w.field("runbook", probe.runbook)
        w.field("severity", probe.severity)
        w.field("timeout", probe.timeout)
        w.field("title", probe.title)
        w.field("url", probe.url)
    }

    static func write(_ w: inout StreamingJSONWriter, _ window: MaintenanceWindow) {
        w.field("description", window.description)
        w.field("id", window.id)
        w.field("resources", strings: window.resources)
        w.field("schedule") { w in
            switch window.schedule {
            case .weekly(let days, let start, let end):
                w.field("weekly") { w in
                    w.field("days", strings: days)
                    w.field("end", end)
                    w.field("start", start)
                }
            case .once(let start, let end):
                w.field("once") { w in
                    w.field("end", end)
                    w.field("start", start)
                }
            }
        }
        w.field("severities", array: window.severities) { $0.int($1) }
        w.field("timeZone", window.timeZone)
    }

    static func write(_ w: inout StreamingJSONWriter, _ monitor: ScrapeMonitor) {
        w.field("covers", strings: monitor.covers)
        w.field("honorLabels", monitor.honorLabels)
        w.field("id", monitor.id)
        w.field("interval", monitor.interval.seconds)
        w.field("kind", monitor.kind.rawValue)
        w.field("labels", map: monitor.labels)
        w.field("metrics", strings: monitor.metrics)
        w.field("namespaces", strings: monitor.namespaces)
        w.field("path", monitor.path)
        w.field("port", monitor.port)
        w.field("scheme", monitor.scheme)
        w.field("selector", map: monitor.selector)
    }

    static func write(_ w: inout StreamingJSONWriter, _ group: ActionGroup) {
        w.field("key", group.key)
        w.field("purpose", group.purpose.rawValue)
        w.field("receivers", objects: group.receivers) { w, r in
            w.field("address", r.address)
            w.field("countryCode", r.countryCode)
            w.field("kind", r.kind.rawValue)
            w.field("name", r.name)
            w.field("oncall", r.oncall)
            w.field("phoneNumber", r.phoneNumber)
            w.field("secretRef", r.secretRef)
        }
        w.field("resourceId", group.resourceId)
        w.field("shortName", group.shortName)
    }

    static func write(_ w: inout StreamingJSONWriter, _ alert: AlertRule) {
        w.field("autoMitigate", alert.autoMitigate)
        w.field("covers", strings: alert.covers)
        w.field("criteria") { w in write(&w, alert.criteria) }
        w.field("description", alert.description)
        w.field("enabled", alert.enabled)
        w.field("id", alert.id)
        w.field("impact", alert.impact)
        w.field("layer", alert.layer.rawValue)
        w.field("owner", alert.owner)
        w.field("response", alert.response)
        w.field("route", alert.route)
        w.field("runbook", alert.runbook)
        w.field("severity", alert.severity)
        w.field("title", alert.title)
    }

    static func write(_ w: inout StreamingJSONWriter, _ criteria: AlertCriteria) {
        func dimensions(_ w: inout StreamingJSONWriter, _ d: [DimensionFilter]) {
            w.field("dimensions", objects: d) { w, d in
                w.field("name", d.name)
                w.field("operator", d.operator)
                w.field("values", strings: d.values)
            }
        }
        func failing(_ w: inout StreamingJSONWriter, _ f: FailingPeriods?) {
            guard let f else { return }
            w.field("failingPeriods") { w in
                w.field("evaluations", f.evaluations)
                w.field("violations", f.violations)
            }
        }
        switch criteria {
        case .metric(let m):
            w.field("aggregation", m.aggregation)
            dimensions(&w, m.dimensions)
            w.field("frequency", m.frequency.seconds)
            w.field("kind", "metric")
            w.field("metric", m.metric)
            w.field("namespace", m.namespace)
            w.field("resource", m.resource)
            w.field("resourceType", m.resourceType)
            w.field("skipMetricValidation", m.skipMetricValidation)
            w.field("threshold") { w in
                switch m.threshold {
                case .fixed(let op, let value):
                    w.field("operator", op)
                    w.field("value", value)
                case .dynamic(let op, let sensitivity, let periods, let ignore):
                    failing(&w, periods)
                    w.field("ignoreDataBefore", ignore)
                    w.field("operator", op)
                    w.field("sensitivity", sensitivity)
                }
            }
            w.field("window", m.window.seconds)
        case .log(let l):
            w.field("aggregation", l.aggregation)
            dimensions(&w, l.dimensions)
            failing(&w, l.failingPeriods)
            w.field("frequency", l.frequency.seconds)
            w.field("kind", "log")
            w.field("measureColumn", l.measureColumn)
            w.field("muteActionsFor", l.muteActionsFor)
            w.field("operator", l.operator)
            w.field("query", l.query)
            w.field("resourceIdColumn", l.resourceIdColumn)
            w.field("scope", l.scope)
            w.field("tables", strings: l.tables)
            w.field("threshold", l.threshold)
            w.field("window", l.window.seconds)
        case .activityLog(let a):
            w.field("category", a.category)
            w.field("conditions", objects: a.conditions) { w, c in
                w.field("anyOf", strings: c.anyOf)
                w.field("field", c.field)
            }
            w.field("kind", "activityLog")
            w.field("operationName", a.operationName)
        case .prometheus(let p):
            w.field("expr", p.expr)
            w.field("for", p.forDuration)
            w.field("group", p.group)
            w.field("kind", "prometheus")
            w.field("labels", map: p.labels)
        }
    }
}
