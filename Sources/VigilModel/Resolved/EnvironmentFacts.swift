/// The hosting tier of an environment.
public enum Tier: String, Sendable, Hashable, CaseIterable {
    /// One shared platform carrying many tenants.
    case multiTenant = "multi-tenant"
    /// One customer deployment.
    case dedicated
}

/// The promotion stage of an environment.
public enum Stage: String, Sendable, Hashable, CaseIterable {
    /// Development.
    case dev
    /// Pre-production.
    case staging
    /// Production.
    case production
}

/// The facts about an environment that `when` selectors and overlays match on.
public struct EnvironmentFacts: Sendable, Hashable {
    /// The environment name (a safe name: lowercase letters, digits, `-`, at most 63 characters).
    public var name: String
    /// The tier.
    public var tier: Tier
    /// The stage.
    public var stage: Stage
    /// The Azure region, e.g. `westeurope`.
    public var region: String
    /// Compliance classes, sorted.
    public var compliance: [String]
    /// Component flavours by component (`postgresql: flexible-server`).
    public var components: [String: String]

    /// Creates the facts.
    /// - Parameters:
    ///   - name: Environment name.
    ///   - tier: Tier.
    ///   - stage: Stage.
    ///   - region: Azure region.
    ///   - compliance: Compliance classes.
    ///   - components: Component flavours.
    public init(
        name: String, tier: Tier, stage: Stage, region: String, compliance: [String],
        components: [String: String]
    ) {
        self.name = name
        self.tier = tier
        self.stage = stage
        self.region = region
        self.compliance = compliance.sorted()
        self.components = components
    }
}

/// Where an environment lives in Azure.
public struct AzureScope: Sendable, Hashable {
    /// The subscription id (a GUID).
    public var subscriptionId: String
    /// The resource group the artifacts deploy into.
    public var resourceGroup: String
    /// The Log Analytics workspace name, in the resource group, if any.
    public var workspace: String?
    /// Monitored resources by logical key (`aks`, `postgresql`, …): one or more resource ids each.
    public var resources: [String: [String]]

    /// Creates a scope.
    /// - Parameters:
    ///   - subscriptionId: Subscription id.
    ///   - resourceGroup: Resource group name.
    ///   - workspace: Workspace name.
    ///   - resources: Resource ids by key.
    public init(subscriptionId: String, resourceGroup: String, workspace: String?, resources: [String: [String]]) {
        self.subscriptionId = subscriptionId
        self.resourceGroup = resourceGroup
        self.workspace = workspace
        self.resources = resources
    }
}

/// Recovery objectives from which backup-age and replication-lag thresholds derive.
public struct RecoveryObjectives: Sendable, Hashable {
    /// Recovery point objective: the most data, in time, the business accepts to lose.
    public var rpo: Duration?
    /// Recovery time objective: how long a restore may take.
    public var rto: Duration?

    /// Creates objectives.
    /// - Parameters:
    ///   - rpo: RPO.
    ///   - rto: RTO.
    public init(rpo: Duration?, rto: Duration?) {
        self.rpo = rpo
        self.rto = rto
    }
}

/// One receiver of an action group.
public struct Receiver: Sendable, Hashable {
    /// The kind of receiver.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// E-mail.
        case email
        /// SMS (pages).
        case sms
        /// Voice call (pages).
        case voice
        /// Webhook, e.g. an on-call tool (pages when `oncall` is set).
        case webhook
    }
    /// The receiver's key (unique in its group).
    public var name: String
    /// The kind.
    public var kind: Kind
    /// E-mail address, for e-mail receivers.
    public var address: String?
    /// Country code, for SMS and voice.
    public var countryCode: String?
    /// Phone number, for SMS and voice.
    public var phoneNumber: String?
    /// The Key Vault secret holding a webhook URL (never the URL itself).
    public var secretRef: String?
    /// Whether a webhook receiver is an on-call tool (a paging receiver).
    public var oncall: Bool
    /// Where the receiver was defined.
    public var definedAt: SourceSpan?

    /// Creates a receiver.
    public init(
        name: String, kind: Kind, address: String? = nil, countryCode: String? = nil, phoneNumber: String? = nil,
        secretRef: String? = nil, oncall: Bool = false, definedAt: SourceSpan? = nil
    ) {
        self.oncall = oncall
        self.definedAt = definedAt
        self.name = name
        self.kind = kind
        self.address = address
        self.countryCode = countryCode
        self.phoneNumber = phoneNumber
        self.secretRef = secretRef
    }
}

/// What an action group is for.
public enum ActionGroupPurpose: String, Sendable, Hashable, CaseIterable {
    /// Wakes someone up.
    case page
    /// Informs, during working hours.
    case notify
}

/// An action group: where alerts with a given `route` go.
public struct ActionGroup: Sendable, Hashable {
    /// The key alerts route to.
    public var key: String
    /// The short name shown in SMS and e-mail (at most 12 characters).
    public var shortName: String
    /// Paging or notification.
    public var purpose: ActionGroupPurpose
    /// An existing action group to use instead of rendering one.
    public var resourceId: String?
    /// Receivers, sorted by name.
    public var receivers: [Receiver]

    /// Creates an action group.
    public init(key: String, shortName: String, purpose: ActionGroupPurpose, resourceId: String?, receivers: [Receiver]) {
        self.key = key
        self.shortName = shortName
        self.purpose = purpose
        self.resourceId = resourceId
        self.receivers = receivers
    }
}
