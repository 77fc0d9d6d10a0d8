public import Foundation
public import VigilModel

/// One side of a diff: the rendered environments of a compilation (with their resolved models,
/// for provenance) or of a rendered folder on disk (artifacts only).
public struct DiffSide: Sendable {
    /// One environment of a side.
    public struct Environment: Sendable {
        /// The name.
        public var name: String
        /// The resolved model, when the side was compiled.
        public var resolved: ResolvedEnvironment?
        /// The environment's definitions document, when the side was compiled.
        public var spec: SpecDocument?
        /// The artifact bytes by path (`manifest.json` left out: it records digests only).
        public var files: [String: Data]
        /// The artifact trees by path, when the side was compiled (a folder's files are parsed
        /// when they differ).
        public var documents: [String: [CanonicalValue]]

        /// The trees of one artifact.
        func values(_ path: String) throws -> [CanonicalValue] {
            if let values = documents[path] { return values }
            guard let bytes = files[path] else { return [] }
            do {
                return try ArtifactReader.read(bytes, path: path)
            } catch {
                throw DiffSide.Failure(description: "\(name)/\(path): \(error)")
            }
        }
    }

    /// A rendered folder that cannot be read.
    public struct Failure: Error, CustomStringConvertible {
        /// The message.
        public var description: String
    }

    /// What the side is, for the report (`HEAD`, `working tree`, a folder).
    public var label: String
    /// The environments by name.
    public var environments: [String: Environment]

    /// Creates a side.
    public init(label: String, environments: [String: Environment]) {
        self.label = label
        self.environments = environments
    }

    /// The side of a compilation that succeeded (compiled with ``Compiler/Options/keepDocuments``).
    /// - Parameters:
    ///   - result: The compilation.
    ///   - label: What it is.
    public init(compiled result: Compiler.Result, label: String) {
        var specs: [String: SpecDocument] = [:]
        for document in result.specs?.environments ?? [] where specs[document.name.value] == nil {
            specs[document.name.value] = document
        }
        var resolved: [String: ResolvedEnvironment] = [:]
        for environment in result.environments { resolved[environment.name] = environment }
        var environments: [String: Environment] = [:]
        for output in result.outputs {
            var files: [String: Data] = [:]
            for file in output.files where file.path != "manifest.json" { files[file.path] = file.bytes }
            var documents: [String: [CanonicalValue]] = [:]
            for document in output.documents {
                if document.format == .yaml, document.multiDocument, case .array(let values) = document.value {
                    documents[document.path] = values
                } else {
                    documents[document.path] = [document.value]
                }
            }
            environments[output.name] = Environment(
                name: output.name, resolved: resolved[output.name], spec: specs[output.name], files: files, documents: documents)
        }
        self.init(label: label, environments: environments)
    }

    /// The side of a rendered folder: every subfolder holding a `manifest.json` is an
    /// environment (the same rule `render` uses before pruning).
    /// - Parameters:
    ///   - folder: The output folder.
    ///   - label: What it is.
    ///   - names: Only these environments (all when empty).
    /// - Throws: I/O errors.
    public init(folder: URL, label: String, names: [String] = []) throws {
        let fm = FileManager.default
        var environments: [String: Environment] = [:]
        let entries = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in entries.sorted() where !name.hasPrefix(".") && (names.isEmpty || names.contains(name)) {
            let base = folder.appendingPathComponent(name)
            guard fm.fileExists(atPath: base.appendingPathComponent("manifest.json").path) else { continue }
            var files: [String: Data] = [:]
            for relative in try SourceTree.files(under: base, skippingHidden: true) where relative != "manifest.json" {
                files[relative] = try Data(contentsOf: base.appendingPathComponent(relative))
            }
            environments[name] = Environment(name: name, resolved: nil, spec: nil, files: files, documents: [:])
        }
        self.init(label: label, environments: environments)
    }
}
