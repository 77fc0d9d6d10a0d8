import VigilModel

/// The model digest's view of dashboards (members in key order).
extension ModelEncoder {
    static func write(_ w: inout StreamingJSONWriter, _ dashboard: Dashboard) {
        w.field("audience", dashboard.audience.rawValue)
        w.field("description", dashboard.description)
        w.field("id", dashboard.id)
        w.field("panels", objects: dashboard.panels, write)
        w.field("rows", objects: dashboard.rows) { w, row in
            w.field("number", row.number)
            w.field("title", row.title)
        }
        w.field("tags", strings: dashboard.tags)
        w.field("timeRange", dashboard.timeRange.seconds)
        w.field("title", dashboard.title)
        w.field("variables", objects: dashboard.variables) { w, variable in
            w.field("label", variable.label)
            w.field("name", variable.name)
            w.field("options", objects: variable.options) { w, option in
                w.field("text", option.text)
                w.field("value", option.value)
            }
        }
    }

    static func write(_ w: inout StreamingJSONWriter, _ panel: DashboardPanel) {
        w.field("baseColor", panel.baseColor)
        w.field("description", panel.description)
        w.field("id", panel.id)
        w.field("kind", panel.kind.rawValue)
        w.field("order", panel.order)
        w.field("queries", objects: panel.queries) { w, query in
            w.field("language", query.language.rawValue)
            w.field("legend", query.legend)
            w.field("text", query.text)
        }
        w.field("row", panel.row)
        w.field("slo", panel.slo)
        w.field("thresholds", objects: panel.thresholds) { w, threshold in
            w.field("alert", threshold.alert)
            w.field("color", threshold.color)
            w.field("value", threshold.value)
        }
        w.field("timeRange", panel.timeRange)
        w.field("title", panel.title)
        w.field("unit", panel.unit)
    }
}
