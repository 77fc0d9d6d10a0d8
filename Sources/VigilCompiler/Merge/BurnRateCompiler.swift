import Foundation
import VigilModel

/// Decodes `slos` items and compiles each SLO into multi-window, multi-burn-rate alerts.
///
/// Stage: merge, after the items are decoded. The generated alerts and recording rules join the
/// environment's own, so every renderer, the policy check, `explain` and `diff` see them like any
/// other; their provenance is the SLO's, so a change of the objective is traced to its line.
///
/// - PromQL indicators: one recording rule per window, `slo:sli_error:ratio_rate<w>{slo="<id>"}`
///   = `1 - (good / total)` with `$window` replaced by the window, and one alert per tier.
/// - KQL indicators: one scheduled query rule per tier whose query computes both windows' error
///   ratios; the 3-day tier is not emitted because log alerts look back at most 2 days
///   (`docs/slo.md`).
enum BurnRateCompiler {
    /// The longest window an Azure log alert can query.
    static let logWindowLimit = Duration(seconds: 172_800)

    /// What the SLOs add to an environment.
    struct Output {
        var slos: [ServiceLevelObjective] = []
        var alerts: [AlertRule] = []
        var recordingRules: [RecordingRule] = []
        /// Generated item id → SLO id.
        var sources: [String: String] = [:]
    }

    /// The windows of the recording rules: every tier's long and short window, sorted.
    static let windows = Set(BurnRateTier.standard.flatMap { [$0.long, $0.short] }).sorted()

    /// The numbers of one tier for one objective and period, computed once: tenants' SLOs share
    /// their objective and period, and `Decimal` arithmetic and formatting are not cheap.
    struct TierFigures {
        var threshold: Decimal
        var thresholdText: String
        var factorText: String
        var budgetText: String
        var shareText: String
        var objectiveText: String

        init(_ slo: ServiceLevelObjective, _ tier: BurnRateTier) {
            threshold = BurnRateCompiler.threshold(slo, tier)
            thresholdText = CanonicalValue.format(threshold)
            factorText = CanonicalValue.format(tier.factor(period: slo.period))
            budgetText = CanonicalValue.format(slo.errorBudget * 100)
            shareText = CanonicalValue.format(tier.budgetShare * 100)
            objectiveText = CanonicalValue.format(slo.objective)
        }
    }

    struct FiguresKey: Hashable {
        var objective: Decimal
        var period: Int
        var tier: Int
    }

    /// Decodes the selected `slos` items and compiles them.
    static func compile(_ items: [MergedItem], diagnostics: inout Diagnostics) -> Output {
        var output = Output()
        var memo: [FiguresKey: TierFigures] = [:]
        func figures(_ slo: ServiceLevelObjective, _ index: Int) -> TierFigures {
            let key = FiguresKey(objective: slo.objective, period: slo.period.seconds, tier: index)
            if let known = memo[key] { return known }
            let made = TierFigures(slo, BurnRateTier.standard[index])
            memo[key] = made
            return made
        }
        for item in items {
            guard let slo = decode(item, diagnostics: &diagnostics) else { continue }
            output.slos.append(slo)
            switch slo.indicator {
            case .prometheus(let good, let total):
                for window in windows {
                    let rule = RecordingRule(
                        id: "\(slo.id)-sli-error-\(window.prometheus)", record: record(window),
                        expr: "1 - (\n  (\(substitute(good, window)))\n  /\n  (\(substitute(total, window)))\n)",
                        group: group(slo), labels: ["slo": slo.id], provenance: slo.provenance)
                    output.recordingRules.append(rule)
                    output.sources[rule.id] = slo.id
                }
                for (index, tier) in BurnRateTier.standard.enumerated() {
                    let numbers = figures(slo, index)
                    let threshold = numbers.thresholdText
                    let expr = "\(record(tier.long)){slo=\"\(slo.id)\"} > \(threshold)\nand\n\(record(tier.short)){slo=\"\(slo.id)\"} > \(threshold)"
                    let alert = alertRule(slo, tier, numbers, criteria: .prometheus(PrometheusCriteria(
                        expr: expr, forDuration: nil, group: group(slo), labels: ["slo": slo.id, "burn_rate_tier": tier.label])))
                    output.alerts.append(alert)
                    output.sources[alert.id] = slo.id
                }
            case .log(let good, let total, let scope):
                for (index, tier) in BurnRateTier.standard.enumerated() where tier.long <= logWindowLimit {
                    let numbers = figures(slo, index)
                    let alert = alertRule(slo, tier, numbers, criteria: .log(LogCriteria(
                        query: query(good: good, total: total, tier: tier, threshold: numbers.thresholdText),
                        tables: Array(Set([table(of: good), table(of: total)].compactMap { $0 })).sorted(), scope: scope,
                        aggregation: "Count", measureColumn: nil, resourceIdColumn: nil, operator: "GreaterThan", threshold: 0,
                        dimensions: [], window: tier.long, frequency: tier.short, failingPeriods: nil, muteActionsFor: nil)))
                    output.alerts.append(alert)
                    output.sources[alert.id] = slo.id
                }
            }
        }
        return output
    }

    static func decode(_ item: MergedItem, diagnostics: inout Diagnostics) -> ServiceLevelObjective? {
        let v = item.value
        let at = { (path: String) in item.provenance.location(of: path) ?? item.provenance.definedAt }
        guard let title = v["title"]?.string, let layer = v["layer"]?.string.flatMap(Layer.init(rawValue:)),
            let objective = v["objective"]?.number, let period = v["period"]?.string.flatMap(Duration.parse)
        else { return nil }
        guard objective > 0 && objective < 100 else {
            diagnostics.append(Diagnostic(
                "slo/invalid-objective", "SLO '\(item.id)' has objective \(CanonicalValue.format(objective)) %",
                at: at("objective"), hint: "give a percentage above 0 and below 100, e.g. 99.9"))
            return nil
        }
        let longest = BurnRateTier.standard.map(\.long).max()!
        guard period >= longest else {
            diagnostics.append(Diagnostic(
                "slo/period-too-short", "SLO '\(item.id)' has a period of \(period), shorter than the \(longest) burn-rate window",
                at: at("period"), hint: "use a period of at least \(longest), typically 28d or 30d"))
            return nil
        }
        let indicator: ServiceLevelObjective.Indicator
        if let p = v["indicator"]?["prometheus"], let good = p["good"]?.string, let total = p["total"]?.string {
            var ok = true
            for (name, text) in [("good", good), ("total", total)] where !text.contains("$window") {
                diagnostics.append(Diagnostic(
                    "slo/missing-window", "the PromQL \(name) query of SLO '\(item.id)' has no '$window'",
                    at: at("indicator.prometheus.\(name)"),
                    hint: "write the range as [$window], e.g. sum(rate(http_requests_total[$window])); Vigil fills in each burn-rate window"))
                ok = false
            }
            guard ok else { return nil }
            indicator = .prometheus(good: good, total: total)
        } else if let l = v["indicator"]?["log"], let good = l["good"]?.string, let total = l["total"]?.string {
            indicator = .log(good: good, total: total, scope: l["scope"]?.string ?? "workspace")
        } else {
            return nil
        }
        return ServiceLevelObjective(
            id: item.id, title: title, description: v["description"]?.string, layer: layer, owner: v["owner"]?.string,
            runbook: v["runbook"]?.string, objective: objective, period: period, indicator: indicator,
            route: v["route"]?.string, ticketRoute: v["ticketRoute"]?.string,
            covers: Array(Set((v["covers"]?.list ?? []).compactMap(\.string))).sorted(), provenance: item.provenance)
    }

    /// The error-rate threshold of a tier: factor × budget, rounded to 10 decimal places.
    static func threshold(_ slo: ServiceLevelObjective, _ tier: BurnRateTier) -> Decimal {
        var exact = tier.factor(period: slo.period) * slo.errorBudget
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 10, .plain)
        return rounded
    }

    static func record(_ window: Duration) -> String { "slo:sli_error:ratio_rate\(window.prometheus)" }

    static func group(_ slo: ServiceLevelObjective) -> String { "slo-\(slo.id)" }

    static func substitute(_ query: String, _ window: Duration) -> String {
        query.replacingEvery("$window", with: window.prometheus)
    }

    /// The table a KQL tabular expression starts from (`AppRequests | where …` → `AppRequests`).
    static func table(of query: String) -> String? {
        let head = query.drop { $0 == " " || $0 == "\n" || $0 == "(" }.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return head.isEmpty ? nil : String(head)
    }

    /// A KQL query that returns one row when both windows burn faster than the tier allows.
    static func query(good: String, total: String, tier: BurnRateTier, threshold t: String) -> String {
        let long = kustoTimespan(tier.long), short = kustoTimespan(tier.short)
        return """
            let total = materialize(\(total.trimmingCharacters(in: .whitespacesAndNewlines)));
            let good = materialize(\(good.trimmingCharacters(in: .whitespacesAndNewlines)));
            let errorRatio = (w: timespan) {
                1.0 - todouble(toscalar(good | where TimeGenerated > ago(w) | count)) / todouble(toscalar(total | where TimeGenerated > ago(w) | count))
            };
            print longWindowErrorRatio = errorRatio(\(long)), shortWindowErrorRatio = errorRatio(\(short))
            | where longWindowErrorRatio > \(t) and shortWindowErrorRatio > \(t)
            """
    }

    /// `1h`, `30m`, `1d` as KQL timespan literals.
    static func kustoTimespan(_ duration: Duration) -> String {
        if duration.seconds % 86400 == 0 { return "\(duration.seconds / 86400)d" }
        if duration.seconds % 3600 == 0 { return "\(duration.seconds / 3600)h" }
        if duration.seconds % 60 == 0 { return "\(duration.seconds / 60)m" }
        return "\(duration.seconds)s"
    }

    static func alertRule(_ slo: ServiceLevelObjective, _ tier: BurnRateTier, _ numbers: TierFigures, criteria: AlertCriteria) -> AlertRule {
        let factor = numbers.factorText, budget = numbers.budgetText, share = numbers.shareText
        let page = tier.action == "page"
        return AlertRule(
            id: "\(slo.id)-burn-rate-\(tier.label)",
            title: "\(slo.title): error budget burning \(factor)× (\(tier.long.prometheus)/\(tier.short.prometheus))",
            description: "\(slo.title) (objective \(numbers.objectiveText) % over \(slo.period.prometheus), error budget "
                + "\(budget) %): the error rate over the last \(tier.long.prometheus) and \(tier.short.prometheus) is above "
                + "\(numbers.thresholdText), \(factor)× the budget rate; at this rate \(share) % of the "
                + "period's budget is spent within \(tier.long.prometheus).",
            layer: slo.layer, owner: slo.owner, runbook: slo.runbook,
            response: page
                ? "Page: users are failing now at a rate that exhausts the error budget quickly. Find the failing requests and the change or dependency behind them."
                : "Ticket: the error budget is draining faster than the period allows. Plan the fix within the working day.",
            impact: "availability", severity: page ? 1 : 2, route: page ? slo.route : (slo.ticketRoute ?? slo.route),
            covers: slo.covers, enabled: true, autoMitigate: nil, criteria: criteria, provenance: slo.provenance)
    }
}
