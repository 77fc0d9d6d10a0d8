/// A synthetic check of one URL users depend on: Odoo's health route, a JSON-RPC login, or a
/// read-only page, run from outside the Odoo pods at a fixed interval.
///
/// Stage: merge (decoded from `probes` items). The synthetics renderer turns each into a
/// blackbox-exporter `Probe` object (in-cluster Prometheus) or an Application Insights standard
/// availability test with its availability alert; the policy counts an enabled probe's `covers`.
public struct SyntheticProbe: Sendable, Hashable {
    /// What the check does.
    public enum Check: String, Sendable, Hashable, CaseIterable {
        /// `GET` the URL (Odoo's `/web/health`) and expect HTTP 200.
        case health
        /// `POST` a JSON-RPC `authenticate` call and expect a session for the synthetic user.
        case login
        /// `GET` a read-only page and expect HTTP 200 (optionally a text in the body).
        case page
    }

    /// The synthetic user a login check authenticates as. The password is never part of the
    /// definitions or the artifacts: `secretRef` names the Key Vault secret that holds it.
    public struct Login: Sendable, Hashable {
        /// The Odoo database (`db` of the JSON-RPC call).
        public var database: String
        /// The synthetic user's login.
        public var user: String
        /// The Key Vault secret holding the user's password.
        public var secretRef: String

        /// Creates login settings.
        public init(database: String, user: String, secretRef: String) {
            self.database = database
            self.user = user
            self.secretRef = secretRef
        }
    }

    /// The id, unique within the environment's probes.
    public var id: String
    /// One-line title (also the title of the probe's alert).
    public var title: String
    /// What the check proves.
    public var description: String?
    /// The monitoring layer (normally `ingress`).
    public var layer: Layer
    /// The owning team.
    public var owner: String?
    /// Runbook of the probe's alert.
    public var runbook: String?
    /// What on-call does when the probe's alert fires.
    public var response: String?
    /// Business-impact category.
    public var impact: String?
    /// Severity of the probe's alert, 0 (critical) to 4.
    public var severity: Int
    /// The action-group key the probe's alert routes to.
    public var route: String?
    /// Signals the probe covers, sorted.
    public var covers: [String]
    /// Whether the probe runs; a disabled probe is rendered disabled and covers nothing.
    public var enabled: Bool
    /// What the check does.
    public var check: Check
    /// The `https://` URL checked.
    public var url: String
    /// How often it runs; nil: the prober's default (1m in the cluster, 5m in Azure).
    public var interval: Duration?
    /// How long one run may take; nil: the prober's default.
    public var timeout: Duration?
    /// Azure availability-test locations (ids such as `emea-nl-ams-azr`), in the author's order.
    public var locations: [String]
    /// Text the response body must contain (`page` checks).
    public var contains: String?
    /// The synthetic user (`login` checks).
    public var login: Login?
    /// The blackbox-exporter module that runs the check in the cluster; nil: `http_2xx` for
    /// `health` and `page`, `odoo_login` for `login`.
    public var module: String?
    /// Where its values came from.
    public var provenance: Provenance

    /// Creates a probe.
    public init(
        id: String, title: String, description: String?, layer: Layer, owner: String?, runbook: String?,
        response: String?, impact: String?, severity: Int, route: String?, covers: [String], enabled: Bool,
        check: Check, url: String, interval: Duration?, timeout: Duration?, locations: [String], contains: String?,
        login: Login?, module: String?, provenance: Provenance
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.layer = layer
        self.owner = owner
        self.runbook = runbook
        self.response = response
        self.impact = impact
        self.severity = severity
        self.route = route
        self.covers = covers
        self.enabled = enabled
        self.check = check
        self.url = url
        self.interval = interval
        self.timeout = timeout
        self.locations = locations
        self.contains = contains
        self.login = login
        self.module = module
        self.provenance = provenance
    }

    /// The blackbox-exporter module that runs the check: ``module``, else `odoo_login` for a
    /// login and `http_2xx` otherwise.
    public var blackboxModule: String { module ?? (check == .login ? "odoo_login" : "http_2xx") }

    /// The id of the Prometheus alert generated for the probe in in-cluster environments, and the
    /// item part of its Azure availability alert's name: `<id>-failing`.
    public var alertID: String { "\(id)-failing" }
}
