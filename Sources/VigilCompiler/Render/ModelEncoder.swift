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
                ])
            }),
            "tenants": .array(environment.tenants.map { t in
                .fields([
                    "id": .string(t.id), "displayName": t.displayName.map { .string($0) },
                    "namespace": t.namespace.map { .string($0) }, "host": t.host.map { .string($0) },
                    "database": t.database.map { .string($0) }, "route": t.route.map { .string($0) },
                ])
            }),
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
