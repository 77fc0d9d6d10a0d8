public import Foundation
import VigilModel

/// Finds the definitions files of a root and of the library it names.
///
/// Stage: discovery. A root holds `vigil.yaml` and the folders `environments/`, `baselines/`,
/// `overlays/`, `templates/`; `library:` in `vigil.yaml` names a second folder whose
/// `baselines/`, `overlays/` and `templates/` are read too and shown as `library:/…`.
public struct SourceTree: Sendable {
    /// The order files are handed on in. Output never depends on it; tests use `.reversed` to
    /// prove that.
    public enum Order: Sendable {
        /// Sorted by display path.
        case sorted
        /// Sorted, then reversed.
        case reversed
    }

    /// The root folder.
    public var root: URL
    /// The order of the result.
    public var order: Order
    /// Where files are read from.
    public var fileSystem: any SourceFileSystem

    /// The folders read, with the kind of their files.
    public static let folders: [(String, SourceKind)] = [
        ("baselines", .baseline), ("environments", .environment), ("overlays", .overlay), ("templates", .template),
    ]

    /// Creates a tree.
    /// - Parameters:
    ///   - root: The root folder.
    ///   - order: The order of the result.
    ///   - fileSystem: Where files are read from (the working tree by default).
    public init(root: URL, order: Order = .sorted, fileSystem: any SourceFileSystem = LocalFileSystem()) {
        self.root = root.standardizedFileURL
        self.order = order
        self.fileSystem = fileSystem
    }

    /// The root's `vigil.yaml`, if present.
    /// - Throws: An I/O error other than absence.
    public func configFile() throws -> SourceFile? {
        let url = root.appendingPathComponent("vigil.yaml")
        guard fileSystem.fileExists(url) else { return nil }
        return SourceFile(path: "vigil.yaml", kind: .config, contents: try fileSystem.contents(of: url))
    }

    /// Where the library comes from.
    public enum Library: Sendable, Equatable {
        /// A folder on disk (`library: <path>` in `vigil.yaml`).
        case directory(URL)
        /// The copy embedded in the binary (no `library:`).
        case embedded
        /// No library (`library: none`).
        case none
    }

    /// Every definitions file of the root and the library.
    /// - Parameter library: Where the library comes from.
    /// - Returns: The files.
    /// - Throws: I/O errors.
    public func discover(library: Library) throws -> [SourceFile] {
        switch library {
        case .directory(let url): return try discover(libraryDirectory: url)
        case .none: return try discover(libraryDirectory: nil)
        case .embedded:
            var files = try discover(libraryDirectory: nil)
            for file in EmbeddedLibrary.files {
                guard let folder = file.path.split(separator: "/").first,
                    let kind = Self.folders.first(where: { $0.0 == folder })?.1
                else { continue }
                files.append(SourceFile(path: "library:/\(file.path)", kind: kind, contents: Data(file.contents.utf8)))
            }
            files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
            return order == .reversed ? files.reversed() : files
        }
    }

    func discover(libraryDirectory library: URL?) throws -> [SourceFile] {
        var found: [(path: String, kind: SourceKind, url: URL)] = []
        var seen = Set<String>()
        for (folder, kind) in Self.folders {
            let base = root.appendingPathComponent(folder)
            for relative in try yamlFiles(under: base) {
                let url = base.appendingPathComponent(relative)
                seen.insert(fileSystem.identity(of: url))
                found.append(("\(folder)/\(relative)", kind, url))
            }
        }
        if let library {
            for (folder, kind) in Self.folders where kind != .environment {
                let base = library.appendingPathComponent(folder)
                for relative in try yamlFiles(under: base) {
                    let url = base.appendingPathComponent(relative)
                    if seen.contains(fileSystem.identity(of: url)) { continue }
                    found.append(("library:/\(folder)/\(relative)", kind, url))
                }
            }
        }
        let contents = try fileSystem.contents(of: found.map(\.url))
        var files = zip(found, contents).map { SourceFile(path: $0.path, kind: $0.kind, contents: $1) }
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return order == .reversed ? files.reversed() : files
    }

    /// Relative paths of `.yaml`/`.yml` files below a folder, skipping hidden entries.
    func yamlFiles(under base: URL) throws -> [String] {
        try fileSystem.files(under: base, skippingHidden: true).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
    }

    /// Relative paths of `.yaml`/`.yml` files below a folder on disk, skipping hidden entries.
    static func yamlFiles(under base: URL) throws -> [String] {
        try SourceTree(root: base).yamlFiles(under: base)
    }

    /// Relative paths of the regular files below a folder on disk, sorted (none when it does not
    /// exist).
    static func files(under base: URL, skippingHidden: Bool) throws -> [String] {
        try LocalFileSystem().files(under: base, skippingHidden: skippingHidden)
    }
}
