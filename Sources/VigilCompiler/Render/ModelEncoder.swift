import Foundation
public import VigilModel

/// Encodes a resolved environment as a canonical tree, without source locations: the input of
/// the model digest in `manifest.json`, so a comment-only or reformatting edit changes nothing.
///
/// Stage: render.
public enum ModelEncoder {
    /// The canonical tree of an environment.
    /// - Parameter environment: The environment.
    /// - Returns: The tree.
    public static func encode(_ environment: ResolvedEnvironment) -> CanonicalValue {
        let f = environment.facts
        return .fields([
            "name": .string(f.name),
            "tier": .string(f.tier.rawValue),
            "stage": .string(f.stage.rawValue),
            "region": .string(f.region),
            "compliance": .array(f.compliance.map { .string($0) }),
            "components": .strings(f.components),
            "owner": environment.owner.map { .string($0) },
            "azure": .fields([
                "subscriptionId": .string(environment.azure.subscriptionId),
                "resourceGroup": .string(environment.azure.resourceGroup),
                "workspace": environment.azure.workspace.map { .string($0) },
                "resources": .object(environment.azure.resources.mapValues { .array($0.map { .string($0) }) }),
            ]),
            "recovery": .fields([
                "rpo": environment.recovery.rpo.map { .int($0.seconds) },
                "rto": environment.recovery.rto.map { .int($0.seconds) },
            ]),
            "tags": .strings(environment.tags),
            "actionGroups": .array(environment.actionGroups.map(encode)),
            "alerts": .array(environment.alerts.map(encode)),
            "recordingRules": .array(environment.recordingRules.map { r in
                .fields([
                    "id": .string(r.id), "record": .string(r.record), "expr": .string(r.expr), "group": .string(r.group),
                    "labels": .strings(r.labels),
                ])
            }),
            "slos": .array(environment.slos.map { slo in
                var indicator: CanonicalObject = ["backend": .string(slo.indicator.backend)]
                switch slo.indicator {
                case .prometheus(let good, let total):
                    indicator["good"] = .string(good)
                    indicator["total"] = .string(total)
                case .log(let good, let total, let scope):
                    indicator["good"] = .string(good)
                    indicator["total"] = .string(total)
                    indicator["scope"] = .string(scope)
                }
                return .fields([
                    "id": .string(slo.id), "title": .string(slo.title), "layer": .string(slo.layer.rawValue),
                    "objective": .decimal(slo.objective), "period": .int(slo.period.seconds), "indicator": .object(indicator),
                    "route": slo.route.map { .string($0) }, "ticketRoute": slo.ticketRoute.map { .string($0) },
                    "covers": .array(slo.covers.map { .string($0) }),
                ])
            }),
            "ruleGroupIntervals": .object(environment.ruleGroupIntervals.mapValues { .int($0.seconds) }),
            "retention": .array(environment.retention.map { r in
                .fields([
                    "table": .string(r.table), "plan": r.plan.map { .string($0) },
                    "retentionInDays": r.retentionInDays.map { .int($0) },
                    "totalRetentionInDays": r.totalRetentionInDays.map { .int($0) },
                    "covers": .array(r.covers.map { .string($0) }),
                ])
            }),
            "requirements": .array(environment.requirements.map {
                .fields(["signal": .string($0.signal), "description": .string($0.description)])
            }),
            "collection": .array(environment.collection.map { c in
                .fields([
                    "id": .string(c.id), "kind": .string(c.kind), "resource": c.resource.map { .string($0) },
                    "categories": .array(c.categories.map { .string($0) }), "tables": .array(c.tables.map { .string($0) }),
                    "namespaces": .array(c.namespaces.map { .string($0) }),
                    "tenantNamespaces": c.tenantNamespaces ? .bool(true) : nil,
                ])
            }),
            // Absent rather than empty, so environments without monitors keep their digest.
            "monitors": environment.monitors.isEmpty ? nil : .array(environment.monitors.map(encode)),
            "tenants": .array(environment.tenants.map { t in
                .fields([
                    "id": .string(t.id), "displayName": t.displayName.map { .string($0) },
                    "namespace": t.namespace.map { .string($0) }, "host": t.host.map { .string($0) },
                    "database": t.database.map { .string($0) }, "route": t.route.map { .string($0) },
                ])
            }),
            // Left out when empty, so environments without them keep their digest.
            "maintenanceWindows": environment.maintenanceWindows.isEmpty ? nil : .array(environment.maintenanceWindows.map(encode)),
            "exports": environment.exports.isEmpty ? nil : .array(environment.exports.map { e in
                .fields([
                    "id": .string(e.id), "tables": .array(e.tables.map { .string($0) }), "destination": .string(e.destination),
                    "covers": .array(e.covers.map { .string($0) }),
                ])
            }),
            // Left out when absent, so environments without synthetic checks keep their digest.
            "host": environment.host.map { .string($0) },
            "probes": environment.probes.isEmpty ? nil : .array(environment.probes.map(encode)),
            // Left out when empty, so environments without dashboards keep their digest.
            "dashboards": environment.dashboards.isEmpty ? nil : .array(environment.dashboards.map(encode)),
        ])
    }

    static func encode(_ probe: SyntheticProbe) -> CanonicalValue {
        .fields([
            "id": .string(probe.id), "title": .string(probe.title), "description": probe.description.map { .string($0) },
            "layer": .string(probe.layer.rawValue), "owner": probe.owner.map { .string($0) },
            "runbook": probe.runbook.map { .string($0) }, "response": probe.response.map { .string($0) },
            "impact": probe.impact.map { .string($0) }, "severity": .int(probe.severity),
            "route": probe.route.map { .string($0) }, "covers": .array(probe.covers.map { .string($0) }),
            "enabled": .bool(probe.enabled), "check": .string(probe.check.rawValue), "url": .string(probe.url),
            "interval": probe.interval.map { .int($0.seconds) }, "timeout": probe.timeout.map { .int($0.seconds) },
            "locations": .array(probe.locations.map { .string($0) }), "contains": probe.contains.map { .string($0) },
            "login": probe.login.map {
                .fields(["database": .string($0.database), "user": .string($0.user), "secretRef": .string($0.secretRef)])
            },
            "module": probe.module.map { .string($0) },
        ])
    }

    static func encode(_ window: MaintenanceWindow) -> CanonicalValue {
        let schedule: CanonicalValue
        switch window.schedule {
        case .weekly(let days, let start, let end):
            schedule = .fields(["weekly": .fields(["days": .array(days.map { .string($0) }), "start": .string(start), "end": .string(end)])])
        case .once(let start, let end):
            schedule = .fields(["once": .fields(["start": .string(start), "end": .string(end)])])
        }
        return .fields([
            "id": .string(window.id), "description": window.description.map { .string($0) },
            "timeZone": .string(window.timeZone), "schedule": schedule,
            "severities": .array(window.severities.map { .int($0) }), "resources": .array(window.resources.map { .string($0) }),
        ])
    }

    static func encode(_ monitor: ScrapeMonitor) -> CanonicalValue {
        .fields([
            "id": .string(monitor.id), "kind": .string(monitor.kind.rawValue),
            "namespaces": .array(monitor.namespaces.map { .string($0) }), "selector": .strings(monitor.selector),
            "port": .string(monitor.port), "path": .string(monitor.path), "interval": .int(monitor.interval.seconds),
            "scheme": monitor.scheme.map { .string($0) }, "honorLabels": .bool(monitor.honorLabels),
            "labels": .strings(monitor.labels), "metrics": .array(monitor.metrics.map { .string($0) }),
            "covers": .array(monitor.covers.map { .string($0) }),
        ])
    }

    static func encode(_ group: ActionGroup) -> CanonicalValue {
        .fields([
            "key": .string(group.key),
            "shortName": .string(group.shortName),
            "purpose": .string(group.purpose.rawValue),
            "resourceId": group.resourceId.map { .string($0) },
            "receivers": .array(group.receivers.map { r in
                .fields([
                    "name": .string(r.name), "kind": .string(r.kind.rawValue), "address": r.address.map { .string($0) },
                    "countryCode": r.countryCode.map { .string($0) }, "phoneNumber": r.phoneNumber.map { .string($0) },
                    "secretRef": r.secretRef.map { .string($0) }, "oncall": .bool(r.oncall),
                ])
            }),
        ])
    }

    static func encode(_ alert: AlertRule) -> CanonicalValue {
        .fields([
            "id": .string(alert.id), "title": .string(alert.title), "description": alert.description.map { .string($0) },
            "layer": .string(alert.layer.rawValue), "owner": alert.owner.map { .string($0) },
            "runbook": alert.runbook.map { .string($0) }, "response": alert.response.map { .string($0) },
            "impact": alert.impact.map { .string($0) }, "severity": .int(alert.severity),
            "route": alert.route.map { .string($0) }, "covers": .array(alert.covers.map { .string($0) }),
            "enabled": .bool(alert.enabled), "autoMitigate": alert.autoMitigate.map { .bool($0) },
            "criteria": encode(alert.criteria),
        ])
    }

    static func encode(_ criteria: AlertCriteria) -> CanonicalValue {
        func dims(_ d: [DimensionFilter]) -> CanonicalValue {
            .array(d.map { .fields(["name": .string($0.name), "operator": .string($0.operator), "values": .array($0.values.map { .string($0) })]) })
        }
        func failing(_ f: FailingPeriods?) -> CanonicalValue? {
            f.map { .fields(["evaluations": .int($0.evaluations), "violations": .int($0.violations)]) }
        }
        switch criteria {
        case .metric(let m):
            let threshold: CanonicalValue
            switch m.threshold {
            case .fixed(let op, let value):
                threshold = .fields(["operator": .string(op), "value": .decimal(value)])
            case .dynamic(let op, let sensitivity, let periods, let ignore):
                threshold = .fields([
                    "operator": .string(op), "sensitivity": .string(sensitivity), "failingPeriods": failing(periods),
                    "ignoreDataBefore": ignore.map { .string($0) },
                ])
            }
            return .fields([
                "kind": .string("metric"), "resource": .string(m.resource), "resourceType": .string(m.resourceType),
                "namespace": .string(m.namespace), "metric": .string(m.metric), "aggregation": .string(m.aggregation),
                "threshold": threshold, "dimensions": dims(m.dimensions), "window": .int(m.window.seconds),
                "frequency": .int(m.frequency.seconds), "skipMetricValidation": .bool(m.skipMetricValidation),
            ])
        case .log(let l):
            return .fields([
                "kind": .string("log"), "query": .string(l.query), "tables": .array(l.tables.map { .string($0) }),
                "scope": .string(l.scope), "aggregation": .string(l.aggregation),
                "measureColumn": l.measureColumn.map { .string($0) }, "resourceIdColumn": l.resourceIdColumn.map { .string($0) },
                "operator": .string(l.operator), "threshold": .decimal(l.threshold), "dimensions": dims(l.dimensions),
                "window": .int(l.window.seconds), "frequency": .int(l.frequency.seconds),
                "failingPeriods": failing(l.failingPeriods), "muteActionsFor": l.muteActionsFor.map { .int($0.seconds) },
            ])
        case .activityLog(let a):
            return .fields([
                "kind": .string("activityLog"), "category": .string(a.category),
                "operationName": a.operationName.map { .string($0) },
                "conditions": .array(a.conditions.map { .fields(["field": .string($0.field), "anyOf": .array($0.anyOf.map { .string($0) })]) }),
            ])
        case .prometheus(let p):
            return .fields([
                "kind": .string("prometheus"), "expr": .string(p.expr), "for": p.forDuration.map { .int($0.seconds) },
                "group": .string(p.group), "labels": .strings(p.labels),
            ])
        }
    }
}
