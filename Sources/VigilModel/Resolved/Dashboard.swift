public import Foundation

/// A dashboard of one environment: panels whose queries, units and thresholds come from the same
/// resolved model as the alerts, so a threshold linked to an alert is the alert's threshold.
///
/// Stage: produced by `DashboardResolver` (merge) from the `dashboards` collection; rendered as
/// Grafana dashboard JSON (every panel) and as an Azure Monitor workbook (the KQL panels).
public struct Dashboard: Sendable, Hashable {
    /// Who the dashboard is for.
    public enum Audience: String, Sendable, Hashable, CaseIterable {
        /// Availability, error budgets, backups and security at a glance.
        case executive
        /// Every layer in depth, for the people on call.
        case engineering
        /// One tenant's view; on multi-tenant environments it gets a `$tenant` variable.
        case tenant
    }

    /// The id, unique within the environment.
    public var id: String
    /// The title.
    public var title: String
    /// What the dashboard shows.
    public var description: String?
    /// Who it is for.
    public var audience: Audience
    /// Tags, sorted and unique.
    public var tags: [String]
    /// The default look-back of the time picker.
    public var timeRange: Duration
    /// Titles of the rows that have one, sorted by row number.
    public var rows: [DashboardRow]
    /// Template variables besides the data sources (the tenant picker), in order.
    public var variables: [DashboardVariable]
    /// The panels in layout order: by row, then `order`, then id; the two panels an SLO panel
    /// expands into stand where the SLO panel stood.
    public var panels: [DashboardPanel]
    /// Where its values came from.
    public var provenance: Provenance

    /// Creates a dashboard.
    public init(
        id: String, title: String, description: String?, audience: Audience, tags: [String], timeRange: Duration,
        rows: [DashboardRow], variables: [DashboardVariable], panels: [DashboardPanel], provenance: Provenance
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.audience = audience
        self.tags = tags
        self.timeRange = timeRange
        self.rows = rows
        self.variables = variables
        self.panels = panels
        self.provenance = provenance
    }

    /// Whether any panel queries Log Analytics (KQL): such a dashboard also renders as a workbook.
    public var hasLogPanels: Bool { panels.contains { $0.queries.contains { $0.language == .log } } }

    /// Whether any panel queries Prometheus.
    public var hasPrometheusPanels: Bool { panels.contains { $0.queries.contains { $0.language == .prometheus } } }
}

/// The title of one row of a dashboard.
public struct DashboardRow: Sendable, Hashable {
    /// The row number panels name.
    public var number: Int
    /// The row's title, shown as a header above its panels.
    public var title: String

    /// Creates a row title.
    public init(number: Int, title: String) {
        self.number = number
        self.title = title
    }
}

/// A template variable with fixed options: the tenant picker of a tenant dashboard on a
/// multi-tenant environment.
public struct DashboardVariable: Sendable, Hashable {
    /// One option: what the picker shows and what queries get.
    public struct Option: Sendable, Hashable {
        /// Shown in the picker (the tenant id).
        public var text: String
        /// Substituted into queries (the tenant's namespace).
        public var value: String

        /// Creates an option.
        public init(text: String, value: String) {
            self.text = text
            self.value = value
        }
    }

    /// The name queries write as `$name` or `${name}`.
    public var name: String
    /// The label shown next to the picker.
    public var label: String
    /// The options, in order; the first is selected.
    public var options: [Option]

    /// Creates a variable.
    public init(name: String, label: String, options: [Option]) {
        self.name = name
        self.label = label
        self.options = options
    }
}

/// One panel of a dashboard.
public struct DashboardPanel: Sendable, Hashable {
    /// The visualisation.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Values over time.
        case timeseries
        /// One big number.
        case stat
        /// One number on a dial.
        case gauge
        /// Rows and columns.
        case table
        /// Markdown text (the panel's description).
        case text
    }

    /// The id, unique within the dashboard (an SLO panel `p` becomes `p-budget` and `p-burn-rate`).
    public var id: String
    /// The title.
    public var title: String
    /// What the panel shows; the content of a text panel.
    public var description: String?
    /// The visualisation.
    public var kind: Kind
    /// The row it is laid out in.
    public var row: Int
    /// Its place within the row.
    public var order: Int
    /// The Grafana unit id (`percent`, `percentunit`, `s`, `reqps`, `bytes` …).
    public var unit: String?
    /// A fixed look-back instead of the dashboard's time range.
    public var timeRange: Duration?
    /// The queries, in order (one for authored panels; several for an SLO's burn rates).
    public var queries: [DashboardQuery]
    /// The colour of values below the lowest threshold.
    public var baseColor: String
    /// Thresholds, sorted by value.
    public var thresholds: [DashboardThreshold]
    /// The SLO the panel was generated from.
    public var slo: String?
    /// Where its values came from (the dashboard's provenance).
    public var definedAt: SourceSpan

    /// Creates a panel.
    public init(
        id: String, title: String, description: String?, kind: Kind, row: Int, order: Int, unit: String?,
        timeRange: Duration?, queries: [DashboardQuery], baseColor: String, thresholds: [DashboardThreshold],
        slo: String?, definedAt: SourceSpan
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.kind = kind
        self.row = row
        self.order = order
        self.unit = unit
        self.timeRange = timeRange
        self.queries = queries
        self.baseColor = baseColor
        self.thresholds = thresholds
        self.slo = slo
        self.definedAt = definedAt
    }
}

/// One query of a panel.
public struct DashboardQuery: Sendable, Hashable {
    /// The query language, and so the data source.
    public enum Language: String, Sendable, Hashable {
        /// PromQL against the environment's Prometheus.
        case prometheus
        /// KQL against the environment's Log Analytics workspace.
        case log
    }

    /// The language.
    public var language: Language
    /// The query text; variables are written `$name` or `${name}`.
    public var text: String
    /// The series name shown in the legend, where the panel sets one.
    public var legend: String?

    /// Creates a query.
    public init(language: Language, text: String, legend: String? = nil) {
        self.language = language
        self.text = text
        self.legend = legend
    }
}

/// A threshold of a panel: a value and a colour, possibly the threshold of an alert.
public struct DashboardThreshold: Sendable, Hashable {
    /// The value.
    public var value: Decimal
    /// The colour of values at or above it (Grafana colour name or `#rrggbb`).
    public var color: String
    /// The alert whose threshold this is, when it is linked to one.
    public var alert: String?

    /// Creates a threshold.
    public init(value: Decimal, color: String, alert: String? = nil) {
        self.value = value
        self.color = color
        self.alert = alert
    }
}
