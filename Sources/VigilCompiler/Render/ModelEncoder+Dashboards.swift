import VigilModel

/// The model digest's view of dashboards.
extension ModelEncoder {
    static func encode(_ dashboard: Dashboard) -> CanonicalValue {
        .fields([
            "id": .string(dashboard.id), "title": .string(dashboard.title),
            "description": dashboard.description.map { .string($0) }, "audience": .string(dashboard.audience.rawValue),
            "tags": .array(dashboard.tags.map { .string($0) }), "timeRange": .int(dashboard.timeRange.seconds),
            "rows": .array(dashboard.rows.map { .fields(["number": .int($0.number), "title": .string($0.title)]) }),
            "variables": .array(dashboard.variables.map { variable in
                .fields([
                    "name": .string(variable.name), "label": .string(variable.label),
                    "options": .array(variable.options.map { .fields(["text": .string($0.text), "value": .string($0.value)]) }),
                ])
            }),
            "panels": .array(dashboard.panels.map(encode)),
        ])
    }

    static func encode(_ panel: DashboardPanel) -> CanonicalValue {
        .fields([
            "id": .string(panel.id), "title": .string(panel.title), "description": panel.description.map { .string($0) },
            "kind": .string(panel.kind.rawValue), "row": .int(panel.row), "order": .int(panel.order),
            "unit": panel.unit.map { .string($0) }, "timeRange": panel.timeRange.map { .int($0.seconds) },
            "queries": .array(panel.queries.map { query in
                .fields([
                    "language": .string(query.language.rawValue), "text": .string(query.text),
                    "legend": query.legend.map { .string($0) },
                ])
            }),
            "baseColor": .string(panel.baseColor),
            "thresholds": .array(panel.thresholds.map { threshold in
                .fields([
                    "value": .decimal(threshold.value), "color": .string(threshold.color),
                    "alert": threshold.alert.map { .string($0) },
                ])
            }),
            "slo": panel.slo.map { .string($0) },
        ])
    }
}
