public import Foundation

/// Where definitions files are read from: the working tree on disk, or a commit's tree read
/// from git objects (``GitSnapshot``), so `vigil diff --base REF` renders the past without
/// touching the working tree or the index.
///
/// Stage: discovery. Paths are absolute file URLs; a snapshot maps them onto its tree.
public protocol SourceFileSystem: Sendable {
    /// Whether a regular file exists at the URL.
    func fileExists(_ url: URL) -> Bool
    /// Whether a folder exists at the URL.
    func isDirectory(_ url: URL) -> Bool
    /// Relative paths of the regular files below a folder, sorted (none when it does not exist).
    func files(under base: URL, skippingHidden: Bool) throws -> [String]
    /// The bytes of several files, in the order asked (one batch, so a snapshot reads them in
    /// one pass).
    func contents(of urls: [URL]) throws -> [Data]
    /// A path that is equal for two URLs naming the same file (symbolic links resolved).
    func identity(of url: URL) -> String
}

extension SourceFileSystem {
    /// The bytes of one file.
    func contents(of url: URL) throws -> Data {
        try contents(of: [url])[0]
    }
}

/// The working tree: files as they are on disk now.
public struct LocalFileSystem: SourceFileSystem {
    /// Creates the local file system.
    public init() {}

    public func fileExists(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    public func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    public func files(under base: URL, skippingHidden: Bool) throws -> [String] {
        let fm = FileManager.default
        guard isDirectory(base) else { return [] }
        var result: [String] = []
        var stack = [""]
        while let relative = stack.popLast() {
            let url = relative.isEmpty ? base : base.appendingPathComponent(relative)
            for name in try fm.contentsOfDirectory(atPath: url.path) where !(skippingHidden && name.hasPrefix(".")) {
                let child = relative.isEmpty ? name : "\(relative)/\(name)"
                if isDirectory(base.appendingPathComponent(child)) { stack.append(child) } else { result.append(child) }
            }
        }
        return result.sorted()
    }

    public func contents(of urls: [URL]) throws -> [Data] {
        try urls.map { try Data(contentsOf: $0) }
    }

    public func identity(of url: URL) -> String {
        url.resolvingSymlinksInPath().path
    }
}
