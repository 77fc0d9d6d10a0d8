import Foundation

/// Grafana's classic dashboard JSON model (`schemaVersion`-numbered, as the dashboard sidecar,
/// file provisioning, the HTTP API and Azure Managed Grafana read it), typed: only the fields
/// Vigil writes, each turned into a ``CanonicalValue`` in one place.
///
/// Stage: render. Built by ``GrafanaDashboardRenderer``; written by ``CanonicalJSONWriter``.
enum Grafana {
    /// The schema version Vigil writes.
    static let schemaVersion = 39
    /// The plugin id of Prometheus data sources.
    static let prometheusType = "prometheus"
    /// The plugin id of the Azure Monitor data source (Log Analytics queries).
    static let azureMonitorType = "grafana-azure-monitor-datasource"

    /// A data source reference: a plugin type and a uid (here always a `${variable}`).
    struct DataSourceRef: Equatable {
        var type: String
        var uid: String

        var canonical: CanonicalValue { .fields(["type": .string(type), "uid": .string(uid)]) }
    }

    /// A panel's place on the 24-column grid.
    struct GridPos {
        var x: Int
        var y: Int
        var w: Int
        var h: Int

        var canonical: CanonicalValue { .fields(["x": .int(x), "y": .int(y), "w": .int(w), "h": .int(h)]) }
    }

    /// One query of a panel.
    struct Target {
        /// A PromQL query.
        struct Prometheus {
            var expr: String
            var legendFormat: String?
            /// Evaluate once at the end of the range (stat, gauge, table panels).
            var instant: Bool
        }

        /// A KQL query of the Azure Monitor data source.
        struct LogAnalytics {
            var query: String
            var workspace: String
            /// `time_series` or `table`.
            var resultFormat: String
        }

        var refId: String
        var datasource: DataSourceRef
        var prometheus: Prometheus?
        var logAnalytics: LogAnalytics?

        var canonical: CanonicalValue {
            var fields: CanonicalObject = ["refId": .string(refId), "datasource": datasource.canonical]
            if let prometheus {
                fields["expr"] = .string(prometheus.expr)
                if let legend = prometheus.legendFormat { fields["legendFormat"] = .string(legend) }
                if prometheus.instant {
                    fields["instant"] = .bool(true)
                    fields["range"] = .bool(false)
                }
            }
            if let logAnalytics {
                fields["queryType"] = .string("Azure Log Analytics")
                fields["azureLogAnalytics"] = .fields([
                    "query": .string(logAnalytics.query),
                    "resources": .array([.string(logAnalytics.workspace)]),
                    "resultFormat": .string(logAnalytics.resultFormat),
                ])
            }
            return .object(fields)
        }
    }

    /// A threshold step: the colour of values at or above `value` (nil: the base).
    struct ThresholdStep {
        var value: Decimal?
        var color: String

        var canonical: CanonicalValue { .fields(["value": value.map { .decimal($0) } ?? .null, "color": .string(color)]) }
    }

    /// A panel: a visualisation with queries, or a row header.
    struct Panel {
        var id: Int
        /// `timeseries`, `stat`, `gauge`, `table`, `text` or `row`.
        var type: String
        var title: String
        var description: String?
        var gridPos: GridPos
        var datasource: DataSourceRef?
        var targets: [Target]
        var unit: String?
        var steps: [ThresholdStep]
        /// Draw thresholds as lines (time series).
        var thresholdLines: Bool
        /// A relative time range of the panel's own (`30d`).
        var timeFrom: String?
        /// Markdown of a text panel.
        var content: String?

        var canonical: CanonicalValue {
            if type == "row" {
                return .fields([
                    "type": .string("row"), "id": .int(id), "title": .string(title), "collapsed": .bool(false),
                    "gridPos": gridPos.canonical, "panels": .array([]),
                ])
            }
            var fields: CanonicalObject = [
                "type": .string(type), "id": .int(id), "title": .string(title), "gridPos": gridPos.canonical,
            ]
            if let description { fields["description"] = .string(description) }
            if type == "text" {
                fields["options"] = .fields(["mode": .string("markdown"), "content": .string(content ?? "")])
                return .object(fields)
            }
            if let datasource { fields["datasource"] = datasource.canonical }
            fields["targets"] = .array(targets.map(\.canonical))
            if let timeFrom { fields["timeFrom"] = .string(timeFrom) }
            var defaults: CanonicalObject = [
                "thresholds": .fields(["mode": .string("absolute"), "steps": .array(steps.map(\.canonical))])
            ]
            if let unit { defaults["unit"] = .string(unit) }
            var options: CanonicalObject = [:]
            switch type {
            case "timeseries":
                defaults["custom"] = .fields(["thresholdsStyle": .fields(["mode": .string(thresholdLines ? "line" : "off")])])
                options["legend"] = .fields(["displayMode": .string("list"), "placement": .string("bottom"), "showLegend": .bool(true)])
                options["tooltip"] = .fields(["mode": .string("multi"), "sort": .string("none")])
            case "stat", "gauge":
                options["reduceOptions"] = .fields([
                    "calcs": .array([.string("lastNotNull")]), "fields": .string(""), "values": .bool(false),
                ])
            default:
                break
            }
            fields["fieldConfig"] = .fields(["defaults": .object(defaults), "overrides": .array([])])
            fields["options"] = .object(options)
            return .object(fields)
        }
    }

    /// A template variable: a data source picker or a custom list.
    struct Variable {
        /// One option of a custom variable.
        struct Option {
            var text: String
            var value: String
        }

        var name: String
        var label: String
        /// `datasource` or `custom`.
        var type: String
        /// The data source plugin id (datasource) or the `text : value` list (custom).
        var query: String
        var options: [Option]

        var canonical: CanonicalValue {
            var fields: CanonicalObject = [
                "type": .string(type), "name": .string(name), "label": .string(label), "query": .string(query),
            ]
            if type == "custom" {
                fields["multi"] = .bool(false)
                fields["includeAll"] = .bool(false)
                fields["options"] = .array(options.enumerated().map { index, option in
                    .fields(["text": .string(option.text), "value": .string(option.value), "selected": .bool(index == 0)])
                })
                if let first = options.first {
                    fields["current"] = .fields(["text": .string(first.text), "value": .string(first.value)])
                }
            }
            return .object(fields)
        }
    }

    /// A whole dashboard.
    struct Dashboard {
        var uid: String
        var title: String
        var description: String?
        var tags: [String]
        /// The time picker's default look-back (`6h`).
        var timeFrom: String
        var variables: [Variable]
        var panels: [Panel]

        var canonical: CanonicalValue {
            .fields([
                "uid": .string(uid),
                "title": .string(title),
                "description": description.map { .string($0) },
                "tags": .array(tags.map { .string($0) }),
                "timezone": .string("browser"),
                "editable": .bool(false),
                "graphTooltip": .int(1),
                "schemaVersion": .int(schemaVersion),
                "version": .int(1),
                "refresh": .string("1m"),
                "time": .fields(["from": .string("now-\(timeFrom)"), "to": .string("now")]),
                "annotations": .fields(["list": .array([])]),
                "templating": .fields(["list": .array(variables.map(\.canonical))]),
                "panels": .array(panels.map(\.canonical)),
            ])
        }
    }
}
