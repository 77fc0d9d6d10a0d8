import Foundation
import VigilModel

/// Decodes the selected `dashboards` items into ``Dashboard``s: panels selected by their `when`,
/// laid out in order, thresholds linked to alerts resolved to the alerts' thresholds, SLO panels
/// expanded into an error-budget and a burn-rate panel built from the SLO's recording rules
/// (PromQL) or indicator queries (KQL), and the tenant picker of tenant dashboards.
///
/// Stage: merge, after alerts and SLOs are resolved, so a dashboard sees exactly the thresholds
/// the alerts render with: an overlay that changes an alert's threshold moves the line too.
struct DashboardResolver {
    var facts: EnvironmentFacts
    var alerts: [String: AlertRule]
    var slos: [String: ServiceLevelObjective]
    var tenants: [Tenant]
    /// Alert ids some layer or template defines, whether or not this environment keeps them.
    var knownAlerts: Set<String>
    /// SLO ids some layer or template defines, whether or not this environment keeps them.
    var knownSLOs: Set<String>
    /// Template item ids (`${…}` matching any name part), as patterns: an id a template generates
    /// elsewhere but not here is known, not a typo.
    var alertPatterns: [NSRegularExpression]
    var sloPatterns: [NSRegularExpression]

    /// The default look-back of a dashboard's time picker.
    static let defaultTimeRange = Duration(seconds: 21600)
    /// The window of the error-budget query's error ratio samples.
    static let budgetSampleWindow = Duration(seconds: 300)

    init(
        facts: EnvironmentFacts, alerts: [AlertRule], slos: [ServiceLevelObjective], tenants: [Tenant],
        knownAlerts: Set<String>, knownSLOs: Set<String>, templates: [SpecDocument]
    ) {
        self.facts = facts
        self.alerts = Dictionary(alerts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.slos = Dictionary(slos.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.tenants = tenants
        self.knownAlerts = knownAlerts.union(alerts.map(\.id))
        self.knownSLOs = knownSLOs.union(slos.map(\.id))
        func patterns(_ collection: String) -> [NSRegularExpression] {
            templates.flatMap { ($0.root[collection]?.fields ?? []).map(\.key) }.sorted().compactMap { key in
                var pattern = "^"
                var rest = Substring(key)
                while let open = rest.range(of: "${") {
                    pattern += NSRegularExpression.escapedPattern(for: String(rest[..<open.lowerBound]))
                    pattern += "[a-z0-9-]+"
                    rest = rest[open.upperBound...].drop { $0 != "}" }.dropFirst()
                }
                pattern += NSRegularExpression.escapedPattern(for: String(rest)) + "$"
                return try? NSRegularExpression(pattern: pattern)
            }
        }
        alertPatterns = patterns("alerts")
        sloPatterns = patterns("slos")
    }

    static func matches(_ id: String, _ patterns: [NSRegularExpression]) -> Bool {
        patterns.contains { $0.firstMatch(in: id, range: NSRange(id.startIndex..., in: id)) != nil }
    }

    /// Resolves the selected dashboards, sorted by id.
    func resolve(_ items: [MergedItem], selector: Selector, diagnostics: inout Diagnostics) -> [Dashboard] {
        items.compactMap { resolve($0, selector: selector, diagnostics: &diagnostics) }.sorted { $0.id < $1.id }
    }

    func resolve(_ item: MergedItem, selector: Selector, diagnostics: inout Diagnostics) -> Dashboard? {
        let v = item.value
        guard let title = v["title"]?.string, let audience = v["audience"]?.string.flatMap(Dashboard.Audience.init(rawValue:))
        else { return nil }
        var variables: [DashboardVariable] = []
        if audience == .tenant && facts.tier == .multiTenant {
            variables.append(DashboardVariable(
                name: "tenant", label: "Tenant",
                options: tenants.map { DashboardVariable.Option(text: $0.id, value: $0.namespace ?? $0.id) }))
        }
        let rows = (v["rows"]?.fields ?? []).compactMap { field in
            Int(field.key).flatMap { number in field.value.string.map { DashboardRow(number: number, title: $0) } }
        }.sorted { $0.number < $1.number }
        var authored: [(row: Int, order: Int, id: String, value: SpecValue, key: SpecField)] = []
        for field in v["panels"]?.fields ?? [] where !field.value.isNull {
            if let when = field.value["when"], !when.isNull, selector.matches(when, diagnostics: &diagnostics) != true { continue }
            guard let row = field.value["row"]?.int else { continue }
            authored.append((row, field.value["order"]?.int ?? 0, field.key, field.value, field))
        }
        authored.sort { ($0.row, $0.order, $0.id) < ($1.row, $1.order, $1.id) }
        var panels: [DashboardPanel] = []
        let context = PanelContext(dashboard: item.id, variables: Set(variables.map(\.name)))
        for entry in authored {
            panels += panel(entry.id, entry.value, keySpan: entry.key.keySpan, context: context, diagnostics: &diagnostics)
        }
        // An SLO panel `p` becomes `p-budget` and `p-burn-rate`; neither may be an authored id.
        var seen: [String: SourceSpan] = [:]
        for panel in panels {
            if let first = seen[panel.id] {
                diagnostics.append(Diagnostic(
                    "dashboard/invalid-panel", "dashboard '\(item.id)' has two panels '\(panel.id)'", at: panel.definedAt,
                    hint: "an SLO panel 'p' adds the panels 'p-budget' and 'p-burn-rate'; rename one of them",
                    notes: [DiagnosticNote("the other one", at: first)]))
            } else {
                seen[panel.id] = panel.definedAt
            }
        }
        return Dashboard(
            id: item.id, title: title, description: v["description"]?.string, audience: audience,
            tags: Array(Set((v["tags"]?.list ?? []).compactMap(\.string))).sorted(),
            timeRange: v["timeRange"]?.string.flatMap(Duration.parse) ?? Self.defaultTimeRange,
            rows: rows, variables: variables, panels: panels, provenance: item.provenance)
    }

    struct PanelContext {
        var dashboard: String
        var variables: Set<String>
    }

    /// One authored panel: nothing when it has errors or links to an SLO this environment does
    /// not have, two for an SLO panel, one otherwise.
    func panel(
        _ id: String, _ v: SpecValue, keySpan: SourceSpan, context: PanelContext, diagnostics: inout Diagnostics
    ) -> [DashboardPanel] {
        guard let title = v["title"]?.string, let kindName = v["kind"]?.string, let row = v["row"]?.int else { return [] }
        let order = v["order"]?.int ?? 0
        let timeRange = v["timeRange"]?.string.flatMap(Duration.parse)
        let what = "panel '\(id)' of dashboard '\(context.dashboard)'"
        if kindName == "slo" {
            guard let sloID = v["slo"]?.string else {
                diagnostics.append(Diagnostic(
                    "dashboard/invalid-panel", "\(what) is an SLO panel but names no SLO", at: v["kind"]?.span ?? keySpan,
                    hint: "add 'slo: <slo id>'"))
                return []
            }
            guard let slo = slos[sloID] else {
                if !knownSLOs.contains(sloID) && !Self.matches(sloID, sloPatterns) {
                    diagnostics.append(Diagnostic(
                        "dashboard/unknown-reference", "\(what) names SLO '\(sloID)', which no layer defines",
                        at: v["slo"]?.span ?? keySpan,
                        hint: Suggestions.hint(for: sloID, in: Array(knownSLOs), listing: "SLOs")))
                }
                // A known SLO this environment does not keep: no budget to show.
                return []
            }
            return sloPanels(id, slo, title: title, description: v["description"]?.string, row: row, order: order, keySpan: keySpan)
        }
        guard let kind = DashboardPanel.Kind(rawValue: kindName) else { return [] }
        if let slo = v["slo"], !slo.isNull {
            diagnostics.append(Diagnostic(
                "dashboard/invalid-panel", "\(what) names SLO '\(slo.string ?? "")' but is a \(kindName) panel",
                at: slo.span, hint: "SLO panels are 'kind: slo'; remove 'slo' or change the kind"))
            return []
        }
        var queries: [DashboardQuery] = []
        let query = v["query"]
        if kind == .text {
            if let query, !query.isNull {
                diagnostics.append(Diagnostic(
                    "dashboard/invalid-panel", "\(what) is a text panel but has a query", at: query.span,
                    hint: "a text panel shows its description; remove the query or change the kind"))
                return []
            }
            if v["description"]?.string == nil {
                diagnostics.append(Diagnostic(
                    "dashboard/invalid-panel", "\(what) is a text panel without a description", at: v["kind"]?.span ?? keySpan,
                    hint: "a text panel shows its description as Markdown; add one"))
                return []
            }
        } else {
            let prometheus = query?["prometheus"], log = query?["log"]
            let present = [prometheus, log].compactMap { $0 }.filter { !$0.isNull }
            guard present.count == 1, let text = present[0].string else {
                diagnostics.append(Diagnostic(
                    present.isEmpty ? "dashboard/invalid-panel" : "schema/exclusive-fields",
                    present.isEmpty ? "\(what) is a \(kindName) panel without a query" : "\(what) sets both 'prometheus' and 'log'",
                    at: query?.span ?? v["kind"]?.span ?? keySpan, hint: "give 'query' exactly one of 'prometheus' (PromQL) or 'log' (KQL)"))
                return []
            }
            let language: DashboardQuery.Language = prometheus.map { !$0.isNull } == true ? .prometheus : .log
            guard checkVariables(text, language: language, at: present[0].span, what: what, context: context, diagnostics: &diagnostics)
            else { return [] }
            queries = [DashboardQuery(language: language, text: text)]
        }
        guard let (base, thresholds) = thresholds(v, what: what, diagnostics: &diagnostics) else { return [] }
        return [
            DashboardPanel(
                id: id, title: title, description: v["description"]?.string, kind: kind, row: row, order: order,
                unit: v["unit"]?.string, timeRange: timeRange, queries: queries, baseColor: base, thresholds: thresholds,
                slo: nil, definedAt: keySpan)
        ]
    }

    // MARK: Variables

    static let variablePattern = try! NSRegularExpression(
        pattern: #"\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\[\[([A-Za-z0-9_]+)(?::[^\]]*)?\]\]"#)

    /// The variables a query uses, as Grafana reads them: `$name`, `${name}`, `${name:format}`,
    /// `[[name]]`.
    static func variables(in text: String) -> [String] {
        variablePattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            (1...3).lazy.compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }.first
        }
    }

    /// PromQL may use Grafana's global variables (`$__rate_interval`, `$__range` …) and the
    /// dashboard's own; KQL only the dashboard's own, since workbooks know no Grafana macros.
    func checkVariables(
        _ text: String, language: DashboardQuery.Language, at span: SourceSpan, what: String, context: PanelContext,
        diagnostics: inout Diagnostics
    ) -> Bool {
        var ok = true
        for name in Self.variables(in: text) where !context.variables.contains(name) {
            if language == .prometheus && name.hasPrefix("__") { continue }
            let hint: String
            if name == "tenant" {
                hint = "only tenant dashboards on multi-tenant environments have $tenant; give the panel or dashboard 'when: {tier: multi-tenant}'"
            } else if language == .log && name.hasPrefix("__") {
                hint = "KQL panels also render as workbooks, which know no Grafana macros; the time range applies without one"
            } else {
                hint = context.variables.isEmpty ? "this dashboard defines no variables" : "defined: \(context.variables.sorted().map { "$\($0)" }.joined(separator: ", "))"
            }
            diagnostics.append(Diagnostic(
                "dashboard/undefined-variable", "the query of \(what) uses '$\(name)', which the dashboard does not define",
                at: span, hint: hint))
            ok = false
        }
        return ok
    }

    // MARK: Thresholds

    /// The default colour of a threshold linked to an alert: by the alert's severity.
    static func color(forSeverity severity: Int) -> String {
        switch severity {
        case 0, 1: "red"
        case 2: "orange"
        default: "yellow"
        }
    }

    /// What an alert's threshold is, or why it has none a dashboard can draw.
    enum AlertThreshold {
        case value(Decimal, firesBelow: Bool)
        case unavailable(String)
    }

    static func threshold(of alert: AlertRule) -> AlertThreshold {
        func ordering(_ op: String, _ value: Decimal) -> AlertThreshold {
            op == "Equals" ? .unavailable("compares with Equals, which is no threshold") : .value(value, firesBelow: op.hasPrefix("LessThan"))
        }
        switch alert.criteria {
        case .metric(let metric):
            switch metric.threshold {
            case .fixed(let op, let value): return ordering(op, value)
            case .dynamic: return .unavailable("has a dynamic threshold, which Azure learns and which has no fixed value")
            }
        case .log(let log):
            return ordering(log.operator, log.threshold)
        case .activityLog:
            return .unavailable("is an activity-log alert, which has no threshold")
        case .prometheus(let prometheus):
            guard let comparison = PromQLComparison.first(in: prometheus.expr) else {
                return .unavailable("has no comparison with a number in its expression")
            }
            guard comparison.isOrdering else {
                return .unavailable("compares with '\(comparison.operator)', which is no threshold")
            }
            return .value(comparison.value, firesBelow: comparison.firesBelow)
        }
    }

    /// The base colour and the steps, sorted by value. A threshold linked to an alert that fires
    /// below its value colours what lies below it: the base takes the colour of the lowest such
    /// threshold, and each of them passes the colour on to the next (the highest to green).
    func thresholds(_ v: SpecValue, what: String, diagnostics: inout Diagnostics) -> (String, [DashboardThreshold])? {
        var above: [DashboardThreshold] = []
        var below: [DashboardThreshold] = []
        var ok = true
        for element in v["thresholds"]?.list ?? [] {
            let value = element["value"].flatMap { $0.isNull ? nil : $0 }
            let alertID = element["alert"].flatMap { $0.isNull ? nil : $0 }
            let color = element["color"]?.string
            guard (value == nil) != (alertID == nil) else {
                diagnostics.append(Diagnostic(
                    "schema/exclusive-fields", "a threshold of \(what) needs exactly one of 'value' and 'alert'", at: element.span,
                    hint: "write {value: 90, color: red} or {alert: <alert id>}"))
                ok = false
                continue
            }
            if let number = value?.number {
                above.append(DashboardThreshold(value: number, color: color ?? "red"))
                continue
            }
            guard let alertSpec = alertID, let id = alertSpec.string else { continue }
            guard let alert = alerts[id] else {
                if !knownAlerts.contains(id) && !Self.matches(id, alertPatterns) {
                    diagnostics.append(Diagnostic(
                        "dashboard/unknown-reference", "a threshold of \(what) names alert '\(id)', which no layer defines",
                        at: alertSpec.span, hint: Suggestions.hint(for: id, in: Array(knownAlerts), listing: "alerts")))
                    ok = false
                }
                // An alert this environment does not keep has no threshold to draw.
                continue
            }
            switch Self.threshold(of: alert) {
            case .unavailable(let reason):
                diagnostics.append(Diagnostic(
                    "dashboard/threshold-unavailable", "a threshold of \(what) links to alert '\(id)', which \(reason)",
                    at: alertSpec.span, hint: "link alerts with a fixed threshold (metric, log, or PromQL compared with a number), or write {value: …, color: …}",
                    notes: [DiagnosticNote("alert '\(id)' defined here", at: alert.provenance.definedAt)]))
                ok = false
            case .value(let number, let firesBelow):
                let threshold = DashboardThreshold(value: number, color: color ?? Self.color(forSeverity: alert.severity), alert: id)
                if firesBelow { below.append(threshold) } else { above.append(threshold) }
            }
        }
        guard ok else { return nil }
        below.sort { $0.value < $1.value }
        var base = "green"
        var steps = above
        if let lowest = below.first {
            base = lowest.color
            for (index, threshold) in below.enumerated() {
                var step = threshold
                step.color = index + 1 < below.count ? below[index + 1].color : "green"
                steps.append(step)
            }
        }
        if let explicit = v["baseColor"]?.string { base = explicit }
        // One step per value: the first written wins.
        var seen = Set<Decimal>()
        steps = steps.filter { seen.insert($0.value).inserted }
        return (base, steps.sorted { $0.value < $1.value })
    }

    // MARK: SLO panels

    /// An SLO panel becomes two: the share of the error budget left over the SLO's period, and
    /// the burn rates of its tiers' long windows with the tiers' factors as thresholds.
    func sloPanels(
        _ id: String, _ slo: ServiceLevelObjective, title: String, description: String?, row: Int, order: Int,
        keySpan: SourceSpan
    ) -> [DashboardPanel] {
        let budget = CanonicalValue.format(slo.errorBudget)
        let objective = CanonicalValue.format(slo.objective)
        let period = slo.period
        var budgetQuery: DashboardQuery
        var burnQueries: [DashboardQuery]
        var tiers = BurnRateTier.standard
        switch slo.indicator {
        case .prometheus:
            let selector = "{slo=\"\(slo.id)\"}"
            budgetQuery = DashboardQuery(
                language: .prometheus,
                text: "1 - (avg_over_time(\(BurnRateCompiler.record(Self.budgetSampleWindow))\(selector)[\(period.prometheus)]) / \(budget))")
            let windows = Array(Set(tiers.map(\.long))).sorted()
            burnQueries = windows.map {
                DashboardQuery(
                    language: .prometheus, text: "\(BurnRateCompiler.record($0))\(selector) / \(budget)",
                    legend: "\($0.prometheus) window")
            }
        case .log(let good, let total, _):
            tiers = tiers.filter { $0.long <= BurnRateCompiler.logWindowLimit }
            let ago = BurnRateCompiler.kustoTimespan(period)
            let good = good.trimmingCharacters(in: .whitespacesAndNewlines)
            let total = total.trimmingCharacters(in: .whitespacesAndNewlines)
            budgetQuery = DashboardQuery(
                language: .log,
                text: """
                    let good = toscalar((\(good)) | where TimeGenerated > ago(\(ago)) | count);
                    let total = toscalar((\(total)) | where TimeGenerated > ago(\(ago)) | count);
                    print BudgetLeft = 1.0 - (1.0 - todouble(good) / todouble(total)) / \(budget)
                    """)
            burnQueries = [
                DashboardQuery(
                    language: .log,
                    text: """
                        let good = (\(good)) | summarize Good = count() by bin(TimeGenerated, 1h);
                        (\(total))
                        | summarize Total = count() by bin(TimeGenerated, 1h)
                        | join kind=leftouter good on TimeGenerated
                        | project TimeGenerated, BurnRate = (1.0 - todouble(coalesce(Good, long(0))) / todouble(Total)) / \(budget)
                        | order by TimeGenerated asc
                        """,
                    legend: "1h window")
            ]
        }
        var seen = Set<Decimal>()
        let burnThresholds = tiers.compactMap { tier -> DashboardThreshold? in
            let factor = tier.factor(period: period)
            guard seen.insert(factor).inserted else { return nil }
            let alertID = "\(slo.id)-burn-rate-\(tier.label)"
            return DashboardThreshold(
                value: factor, color: tier.action == "page" ? "red" : "orange", alert: alerts[alertID] == nil ? nil : alertID)
        }.sorted { $0.value < $1.value }
        let about = description ?? slo.description
        return [
            DashboardPanel(
                id: "\(id)-budget", title: "\(title): error budget left",
                description: "Share of the error budget of \(slo.title) (objective \(objective) % over \(period.prometheus), budget "
                    + "\(CanonicalValue.format(slo.errorBudget * 100)) % of events) not yet spent in the last \(period.prometheus)."
                    + (about.map { " \($0)" } ?? ""),
                kind: .stat, row: row, order: order, unit: "percentunit", timeRange: period, queries: [budgetQuery],
                baseColor: "red",
                thresholds: [DashboardThreshold(value: 0, color: "orange"), DashboardThreshold(value: Decimal(string: "0.25")!, color: "green")],
                slo: slo.id, definedAt: keySpan),
            DashboardPanel(
                id: "\(id)-burn-rate", title: "\(title): burn rate",
                description: "How many times faster than the period allows the error budget of \(slo.title) is spent, over the "
                    + "long window of each alert tier; the thresholds are the tiers' burn-rate factors (red pages, orange files a ticket).",
                kind: .timeseries, row: row, order: order, unit: "short", timeRange: nil, queries: burnQueries, baseColor: "green",
                thresholds: burnThresholds, slo: slo.id, definedAt: keySpan),
        ]
    }
}
