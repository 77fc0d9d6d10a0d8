public import Foundation

/// What a definitions file is, inferred from its top-level folder.
public enum SourceKind: String, Sendable, Hashable, CaseIterable {
    /// `vigil.yaml` at the root.
    case config
    /// `environments/…`
    case environment
    /// `baselines/…`
    case baseline
    /// `overlays/…`
    case overlay
    /// `templates/…`
    case template

    /// The `kind:` a file of this kind must declare.
    public var kindName: String {
        switch self {
        case .config: "Config"
        case .environment: "Environment"
        case .baseline: "Baseline"
        case .overlay: "Overlay"
        case .template: "Template"
        }
    }
}

/// One input file, read into memory.
///
/// Stage: produced by discovery, consumed by loading.
public struct SourceFile: Sendable, Hashable {
    /// The display path: root-relative, or `library:/…` for the shipped library.
    public var path: String
    /// The kind, from the top-level folder.
    public var kind: SourceKind
    /// The raw bytes.
    public var contents: Data

    /// Creates a source file.
    /// - Parameters:
    ///   - path: Display path.
    ///   - kind: Kind.
    ///   - contents: Bytes.
    public init(path: String, kind: SourceKind, contents: Data) {
        self.path = path
        self.kind = kind
        self.contents = contents
    }
}
