public import Foundation

/// A service-level objective: a target share of good events over a period, measured by a
/// good/total indicator in one backend's language.
///
/// Stage: merge (decoded from `slos` items). ``BurnRatePolicy`` turns each into alerts.
public struct ServiceLevelObjective: Sendable, Hashable {
    /// Where the indicator is evaluated.
    public enum Indicator: Sendable, Hashable {
        /// PromQL expressions with `$window` where the range goes: `…[$window]`.
        case prometheus(good: String, total: String)
        /// KQL tabular expressions whose rows are events; `scope` is `workspace` or a resource key.
        case log(good: String, total: String, scope: String)

        /// `prometheus` or `log`.
        public var backend: String {
            switch self {
            case .prometheus: "prometheus"
            case .log: "log"
            }
        }
    }

    /// The id.
    public var id: String
    /// A one-line title.
    public var title: String
    /// What the objective promises.
    public var description: String?
    /// The monitoring layer of its alerts.
    public var layer: Layer
    /// The owning team.
    public var owner: String?
    /// The runbook of its alerts.
    public var runbook: String?
    /// The objective in percent, e.g. 99.9.
    public var objective: Decimal
    /// The compliance period, e.g. 30 days.
    public var period: Duration
    /// The indicator.
    public var indicator: Indicator
    /// The action-group key of the page tiers.
    public var route: String?
    /// The action-group key of the ticket tiers (default: `route`).
    public var ticketRoute: String?
    /// Signals its alerts cover.
    public var covers: [String]
    /// Where it came from.
    public var provenance: Provenance

    /// Creates an SLO.
    public init(
        id: String, title: String, description: String?, layer: Layer, owner: String?, runbook: String?,
        objective: Decimal, period: Duration, indicator: Indicator, route: String?, ticketRoute: String?,
        covers: [String], provenance: Provenance
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.layer = layer
        self.owner = owner
        self.runbook = runbook
        self.objective = objective
        self.period = period
        self.indicator = indicator
        self.route = route
        self.ticketRoute = ticketRoute
        self.covers = covers
        self.provenance = provenance
    }

    /// The error budget: the share of events allowed to be bad (0.001 for 99.9 %).
    public var errorBudget: Decimal { (100 - objective) / 100 }
}

/// The multi-window, multi-burn-rate alerting policy of the Google SRE workbook: each tier pages
/// or files a ticket when the error rate over a long window, confirmed by a short one, burns a
/// given share of the period's error budget.
public struct BurnRateTier: Sendable, Hashable {
    /// `page` or `ticket`.
    public var action: String
    /// The long window.
    public var long: Duration
    /// The short window (a twelfth of the long one), which makes the alert stop soon after the
    /// burn stops.
    public var short: Duration
    /// The share of the period's budget the tier fires at, e.g. 0.02 (2 %).
    public var budgetShare: Decimal

    /// The `burn_rate_tier` label: `page-1h`, `page-6h`, `ticket-1d`, `ticket-3d`.
    public var label: String { "\(action)-\(long.prometheus)" }

    /// The burn-rate factor for a period: the budget share times the period over the long
    /// window (14.4 for 2 % over 1 h of 30 days).
    public func factor(period: Duration) -> Decimal {
        budgetShare * Decimal(period.seconds) / Decimal(long.seconds)
    }

    /// The four tiers: page at 2 % of the budget in 1 h (5 m), page at 5 % in 6 h (30 m), ticket
    /// at 10 % in 1 d (2 h), ticket at 10 % in 3 d (6 h). For 30 days: 14.4×, 6×, 3×, 1×.
    public static let standard: [BurnRateTier] = [
        BurnRateTier(action: "page", long: Duration(seconds: 3600), short: Duration(seconds: 300), budgetShare: Decimal(string: "0.02")!),
        BurnRateTier(action: "page", long: Duration(seconds: 21600), short: Duration(seconds: 1800), budgetShare: Decimal(string: "0.05")!),
        BurnRateTier(action: "ticket", long: Duration(seconds: 86400), short: Duration(seconds: 7200), budgetShare: Decimal(string: "0.1")!),
        BurnRateTier(action: "ticket", long: Duration(seconds: 259_200), short: Duration(seconds: 21600), budgetShare: Decimal(string: "0.1")!),
    ]
}
