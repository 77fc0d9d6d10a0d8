/// One scrape target of the environment's Prometheus: rendered as a prometheus-operator
/// ServiceMonitor or PodMonitor (`monitoring.coreos.com/v1` for an in-cluster Prometheus,
/// `azmonitoring.coreos.com/v1` for AKS managed Prometheus).
public struct ScrapeMonitor: Sendable, Hashable {
    /// What the monitor selects.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Endpoints of Services whose labels match.
        case serviceMonitor = "ServiceMonitor"
        /// Pods whose labels match.
        case podMonitor = "PodMonitor"
    }

    /// The id (its key).
    public var id: String
    /// ServiceMonitor or PodMonitor.
    public var kind: Kind
    /// Namespaces the target runs in, sorted; empty means every namespace.
    public var namespaces: [String]
    /// Labels the Services (ServiceMonitor) or pods (PodMonitor) must carry (writers sort keys).
    public var selector: [String: String]
    /// The named port to scrape (a Service port, or a container port for pods).
    public var port: String
    /// The HTTP path; `/metrics` unless set.
    public var path: String
    /// How often the target is scraped.
    public var interval: Duration
    /// `http` or `https`; nil leaves Prometheus' default (`http`).
    public var scheme: String?
    /// Keep the labels the target sets on its series (a Pushgateway's `job` and `instance`).
    public var honorLabels: Bool
    /// Extra labels on the rendered object (writers sort keys).
    public var labels: [String: String]
    /// The series the target publishes: exact names, or prefixes ending in `*`, sorted.
    public var metrics: [String]
    /// Signals this monitor satisfies, sorted.
    public var covers: [String]
    /// Where its values came from.
    public var provenance: Provenance

    /// Creates a monitor.
    public init(
        id: String, kind: Kind, namespaces: [String], selector: [String: String], port: String, path: String = "/metrics",
        interval: Duration = Duration(seconds: 30), scheme: String? = nil, honorLabels: Bool = false,
        labels: [String: String] = [:], metrics: [String] = [], covers: [String] = [], provenance: Provenance
    ) {
        self.id = id
        self.kind = kind
        self.namespaces = namespaces
        self.selector = selector
        self.port = port
        self.path = path
        self.interval = interval
        self.scheme = scheme
        self.honorLabels = honorLabels
        self.labels = labels
        self.metrics = metrics
        self.covers = covers
        self.provenance = provenance
    }

    /// Whether the target publishes a series of this name, by ``metrics``.
    /// - Parameter metric: A metric name.
    /// - Returns: True when a name equals it or a `prefix*` pattern starts it.
    public func publishes(_ metric: String) -> Bool {
        metrics.contains { pattern in
            pattern.hasSuffix("*") ? metric.hasPrefix(pattern.dropLast()) : metric == pattern
        }
    }
}
