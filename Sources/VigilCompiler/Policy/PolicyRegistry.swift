import VigilModel
/// Every policy rule, sorted by id: the one list that configuration, the check, `vigil rules`
/// and the generated docs read. A test keeps it sorted and complete.
public enum PolicyRegistry {
    /// The rules, sorted by id.
    public static let all: [any PolicyRule.Type] = [
        AlertMetadataRule.self,
        AlertRouteRule.self,
        LogTableCollectedRule.self,
        PagingRouteRule.self,
        RequiredSignalsRule.self,
        RetentionLimitsRule.self,
        TenantRouteIsolationRule.self,
        TenantSplitRule.self,
        ThresholdRangeRule.self,
        WindowFrequencyRule.self,
    ]

    /// Ids handled by the engine itself rather than a per-environment rule.
    public static let engineRules: [RuleDescriptor] = [NoSecretsScanner.descriptor, WaiverExpiryDescriptor.descriptor]

    /// Every descriptor (rules and engine rules), sorted by id.
    public static var descriptors: [RuleDescriptor] {
        (all.map { $0.descriptor } + engineRules).sorted { $0.id < $1.id }
    }

    /// The descriptor with this id.
    public static func descriptor(_ id: String) -> RuleDescriptor? {
        descriptors.first { $0.id.rawValue == id }
    }
}
