public import Foundation
public import VigilModel

/// One side of a diff, one environment at a time: a compiled environment (with its resolved
/// model, for provenance) or a rendered folder on disk (artifacts only).
public enum DiffSide {
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
        /// The artifact trees by path, of the documents a compiled side's renderers gave as trees
        /// (a folder's files, and documents written as bytes, are parsed when they differ).
        public var documents: [String: [CanonicalValue]]

        /// The environment of one compiled output (compiled with `keepDocuments`).
        init(compiled: Compiler.EnvironmentResult, output: EnvironmentOutput, spec: SpecDocument?) {
            var files: [String: Data] = [:]
            for file in output.files where file.path != "manifest.json" { files[file.path] = file.bytes }
            var documents: [String: [CanonicalValue]] = [:]
            // A document written as bytes has no tree: ``values(_:)`` parses it if it differs.
            for document in output.documents {
                guard let value = document.value else { continue }
                if document.format == .yaml, document.multiDocument, case .array(let values) = value {
                    documents[document.path] = values
                } else {
                    documents[document.path] = [value]
                }
            }
            self.init(name: output.name, resolved: compiled.resolved, spec: spec, files: files, documents: documents)
        }

        /// The environment of a rendered folder (artifacts only), nil when the folder holds no
        /// `manifest.json`.
        init?(folder: URL, name: String) throws {
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifest.json").path) else { return nil }
            var files: [String: Data] = [:]
            for relative in try SourceTree.files(under: folder, skippingHidden: true) where relative != "manifest.json" {
                files[relative] = try Data(contentsOf: folder.appendingPathComponent(relative))
            }
            self.init(name: name, resolved: nil, spec: nil, files: files, documents: [:])
        }

        init(name: String, resolved: ResolvedEnvironment?, spec: SpecDocument?, files: [String: Data], documents: [String: [CanonicalValue]]) {
            self.name = name
            self.resolved = resolved
            self.spec = spec
            self.files = files
            self.documents = documents
        }

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

    /// The environment folders of a rendered output folder: every subfolder holding a
    /// `manifest.json` (the same rule `render` uses before pruning).
    /// - Parameter folder: The output folder.
    /// - Returns: Their names, sorted.
    static func environmentFolders(in folder: URL) throws -> [String] {
        let fm = FileManager.default
        let entries = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
        return entries.sorted().filter {
            !$0.hasPrefix(".") && fm.fileExists(atPath: folder.appendingPathComponent($0).appendingPathComponent("manifest.json").path)
        }
    }
}
