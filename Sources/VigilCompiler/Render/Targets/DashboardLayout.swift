import VigilModel

/// Where each panel of a dashboard goes on Grafana's 24-column grid.
///
/// Stage: render. The one layout scheme (docs/definitions.md §3.10): rows in ascending order, a
/// row's title (if the dashboard gives one) as a header one unit high, then its panels in layout
/// order, at most ``perLine`` to a line. The panels of a line share the 24 columns evenly (the
/// first ones take the remainder) and the line's height, the tallest of its panels' kinds.
/// Nothing depends on anything but the panels' rows, orders, ids and kinds.
struct DashboardLayout {
    /// Panels per line.
    static let perLine = 6
    /// Grid columns.
    static let columns = 24

    /// One placed element: a row header or a panel.
    struct Element {
        /// The row number.
        var row: Int
        /// The row header's title, or nil for a panel.
        var header: String?
        /// The panel, or nil for a header.
        var panel: DashboardPanel?
        var x: Int
        var y: Int
        var w: Int
        var h: Int
    }

    /// The height of a panel kind, in grid units (30 px each).
    static func height(_ kind: DashboardPanel.Kind) -> Int {
        switch kind {
        case .timeseries, .table: 8
        case .gauge: 6
        case .stat: 5
        case .text: 4
        }
    }

    /// The placed elements of a dashboard, in order.
    static func layout(_ dashboard: Dashboard) -> [Element] {
        var elements: [Element] = []
        var y = 0
        let titles = Dictionary(dashboard.rows.map { ($0.number, $0.title) }, uniquingKeysWith: { a, _ in a })
        var rows: [(number: Int, panels: [DashboardPanel])] = []
        for panel in dashboard.panels {
            if rows.last?.number == panel.row {
                rows[rows.count - 1].panels.append(panel)
            } else {
                rows.append((panel.row, [panel]))
            }
        }
        for row in rows {
            if let title = titles[row.number] {
                elements.append(Element(row: row.number, header: title, panel: nil, x: 0, y: y, w: columns, h: 1))
                y += 1
            }
            for start in stride(from: 0, to: row.panels.count, by: perLine) {
                let line = Array(row.panels[start..<min(start + perLine, row.panels.count)])
                let width = columns / line.count, extra = columns % line.count
                let height = line.map { Self.height($0.kind) }.max() ?? 8
                var x = 0
                for (index, panel) in line.enumerated() {
                    let w = width + (index < extra ? 1 : 0)
                    elements.append(Element(row: row.number, header: nil, panel: panel, x: x, y: y, w: w, h: height))
                    x += w
                }
                y += height
            }
        }
        return elements
    }
}
