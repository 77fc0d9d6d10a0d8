import VigilModel

/// The `dashboards` collection (docs/definitions.md §3.10).
extension DefinitionsSchema {
    private static func field(_ name: String, _ schema: Schema, required: Bool = false) -> FieldSchema {
        FieldSchema(name, schema, required: required)
    }

    /// A Grafana colour: a name (`red`, `dark-orange`) or `#rrggbb`.
    static let dashboardColor = Schema.string(.pattern("^([a-z]+(-[a-z]+)*|#[0-9a-fA-F]{6})$", description: "a colour name or #rrggbb"))

    /// Panel kinds as written: Grafana's visualisations plus `slo`, which expands into two panels.
    public static let dashboardPanelKinds = DashboardPanel.Kind.allCases.map(\.rawValue) + ["slo"]

    /// One threshold of a panel: a fixed value, or the threshold of an alert.
    public static let dashboardThreshold = ObjectSchema(
        "panel threshold",
        [
            field("value", .number),
            field("alert", .string(.name)),
            field("color", dashboardColor),
        ],
        exactlyOneOf: [["alert", "value"]])

    /// One panel of a dashboard (`dashboards.<id>.panels.<id>`).
    public static let dashboardPanel = ObjectSchema(
        "dashboard panel",
        [
            field("title", .string(.text), required: true),
            field("description", .string(.text)),
            field("kind", .enumeration(dashboardPanelKinds), required: true),
            field("row", .integer(1...99), required: true),
            field("order", .integer(0...999)),
            field("unit", .string(.pattern("^[A-Za-z0-9_.:/%()-]+$", description: "a Grafana unit id"))),
            field(
                "query",
                .object(ObjectSchema(
                    "panel query",
                    [field("prometheus", .string(.text)), field("log", .string(.text))],
                    exactlyOneOf: [["log", "prometheus"]]))),
            field("thresholds", .list(.object(dashboardThreshold))),
            field("baseColor", dashboardColor),
            field("slo", .string(.name)),
            field("timeRange", .duration),
            field("when", selector),
        ],
        conflicts: ["slo": ["query", "thresholds", "unit", "baseColor"]])

    /// A dashboard (`dashboards.<id>`).
    public static let dashboard = ObjectSchema(
        "dashboard",
        [
            field("title", .string(.text), required: true),
            field("description", .string(.text)),
            field("audience", .enumeration(Dashboard.Audience.allCases.map(\.rawValue)), required: true),
            field("tags", .list(.string(.text))),
            field("timeRange", .duration),
            field("rows", .map(key: .pattern("^[1-9][0-9]?$", description: "a row number 1-99"), value: .string(.text))),
            field("panels", .map(key: .name, value: .object(dashboardPanel)), required: true),
            field("when", selector),
        ])
}
