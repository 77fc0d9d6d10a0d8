public import Foundation
public import VigilModel

/// The file format of an artifact.
public enum ArtifactFormat: String, Sendable, Hashable {
    /// Written by ``CanonicalJSONWriter``.
    case json
    /// Written by ``CanonicalYAMLWriter``; an array value becomes a multi-document stream.
    case yaml
}

/// One output file as data: its path in the environment's folder, its tree or its bytes, and its
/// format.
///
/// Stage: render. Renderers return these; the canonical writers turn a tree into bytes. A renderer
/// that writes its bytes straight from the model (``StreamingJSONWriter``, the ARM alert
/// templates) gives no tree: a reader that needs one parses the bytes (``ArtifactReader``).
public struct ArtifactDocument: Sendable, Hashable {
    /// Path relative to `out/<environment>/`, e.g. `azure/alerts.json`.
    public var path: String
    /// The content as a tree; nil for a document written as bytes.
    public var value: CanonicalValue?
    /// The format.
    public var format: ArtifactFormat
    /// For YAML: write each element of the top-level array as its own document.
    public var multiDocument: Bool
    /// Bytes already written: by a renderer that writes bytes, or that had to measure them.
    var written: Data?

    /// Creates a document from a tree.
    public init(path: String, value: CanonicalValue, format: ArtifactFormat, multiDocument: Bool = false) {
        self.path = path
        self.value = value
        self.format = format
        self.multiDocument = multiDocument
    }

    /// Creates a document from its canonical bytes (no tree).
    init(path: String, written: Data, format: ArtifactFormat) {
        self.path = path
        self.value = nil
        self.format = format
        self.multiDocument = false
        self.written = written
    }

    /// The bytes of this document.
    public func bytes() -> Data {
        if let written { return written }
        guard let value else { preconditionFailure("document '\(path)' has neither a tree nor bytes") }
        switch format {
        case .json:
            return CanonicalJSONWriter().write(value)
        case .yaml:
            if multiDocument, case .array(let documents) = value {
                return CanonicalYAMLWriter().write(documents: documents)
            }
            return CanonicalYAMLWriter().write(value)
        }
    }
}

/// One rendered file: path and bytes.
public struct RenderedFile: Sendable, Hashable {
    /// Path relative to the environment's folder.
    public var path: String
    /// The bytes.
    public var bytes: Data

    /// Creates a file.
    public init(path: String, bytes: Data) {
        self.path = path
        self.bytes = bytes
    }
}

/// The rendered folder of one environment.
public struct EnvironmentOutput: Sendable, Hashable {
    /// The environment name (the folder name).
    public var name: String
    /// Its files, sorted by path, `manifest.json` included.
    public var files: [RenderedFile]
    /// The documents the files were written from (not `manifest.json`), kept only when
    /// ``Compiler/Options/keepDocuments`` asks for them (`vigil diff`).
    public var documents: [ArtifactDocument] = []

    /// Creates an output.
    public init(name: String, files: [RenderedFile]) {
        self.name = name
        self.files = files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }
}

/// A renderer for one output target.
///
/// Renderers read the resolved model only, build ``CanonicalValue`` trees and report problems as
/// diagnostics; they never write files or print.
public protocol ArtifactRenderer: Sendable {
    /// The target folder name (`azure`, `kubernetes`, …).
    static var target: String { get }
    /// Renders one environment.
    /// - Parameters:
    ///   - environment: The resolved environment.
    ///   - diagnostics: Where problems go.
    /// - Returns: The documents, in any order.
    func render(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument]
    /// The part of an environment this renderer reads, when it always renders through it (the
    /// environment with the fields it never reads emptied), or nil. Environments with equal views
    /// render equal documents, so `vigil diff` renders an equal view once (``StageReuse``).
    /// - Parameter environment: The resolved environment.
    /// - Returns: The view, which renders as the environment does, or nil.
    func view(of environment: ResolvedEnvironment) -> ResolvedEnvironment?
}

extension ArtifactRenderer {
    /// No view: the renderer may read any field.
    public func view(of environment: ResolvedEnvironment) -> ResolvedEnvironment? { nil }
}
