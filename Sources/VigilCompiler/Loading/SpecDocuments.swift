public import VigilModel

/// One definitions file after loading: its header and its checked value tree.
///
/// Stage: produced by ``SpecLoader``, consumed by merging.
public struct SpecDocument: Sendable {
    /// The file's display path.
    public var path: String
    /// The kind declared by the file (and implied by its folder).
    public var kind: SourceKind
    /// The `name:` of the document.
    public var name: Located<String>
    /// The whole document.
    public var root: SpecValue
    /// The document as read, kept for Templates, whose items are checked again after
    /// substitution.
    var raw: RawNode?

    /// Creates a document.
    public init(path: String, kind: SourceKind, name: Located<String>, root: SpecValue) {
        self.path = path
        self.kind = kind
        self.name = name
        self.root = root
    }

    /// The fields of a keyed collection (`alerts`, `retention`, …), in the author's order.
    /// - Parameter collection: The collection key.
    /// - Returns: Its entries, or none.
    public func items(_ collection: String) -> [SpecField] {
        root[collection]?.fields ?? []
    }
}

/// Every loaded document of a root, sorted by path within each kind.
public struct SpecSet: Sendable {
    /// `vigil.yaml`, if the root has one.
    public var config: SpecDocument?
    /// Environments, sorted by path.
    public var environments: [SpecDocument] = []
    /// Baselines, sorted by path.
    public var baselines: [SpecDocument] = []
    /// Overlays, sorted by path.
    public var overlays: [SpecDocument] = []
    /// Templates, sorted by path.
    public var templates: [SpecDocument] = []

    /// Creates an empty set.
    public init() {}
}
