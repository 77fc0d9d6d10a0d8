public import Foundation

/// A temporary folder tree for tests, removed when the value is released.
public final class FixtureTree: @unchecked Sendable {
    /// The folder.
    public let url: URL

    /// Creates an empty temporary folder.
    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes a text file (folders created as needed).
    /// - Parameters:
    ///   - path: Relative path.
    ///   - text: Contents.
    public func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    /// Writes a file's bytes (folders created as needed).
    public func write(_ path: String, _ data: Data) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    /// Copies a folder into the tree.
    public func copy(_ source: URL, to path: String) throws {
        let target = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: target)
    }

    /// Every regular file below a folder of the tree, path → bytes.
    public func snapshot(_ path: String = "") throws -> [String: Data] {
        try Self.snapshot(of: path.isEmpty ? url : url.appendingPathComponent(path))
    }

    /// Every regular file below a folder, path → bytes (empty if the folder does not exist).
    public static func snapshot(of folder: URL) throws -> [String: Data] {
        let fm = FileManager.default
        guard fm.fileExists(atPath: folder.path) else { return [:] }
        var result: [String: Data] = [:]
        var stack = [""]
        while let relative = stack.popLast() {
            let dir = relative.isEmpty ? folder : folder.appendingPathComponent(relative)
            for name in try fm.contentsOfDirectory(atPath: dir.path) {
                let child = relative.isEmpty ? name : "\(relative)/\(name)"
                var isDirectory: ObjCBool = false
                _ = fm.fileExists(atPath: folder.appendingPathComponent(child).path, isDirectory: &isDirectory)
                if isDirectory.boolValue {
                    stack.append(child)
                } else {
                    result[child] = try Data(contentsOf: folder.appendingPathComponent(child))
                }
            }
        }
        return result
    }
}

/// Paths of the package, found from this file's location.
public enum PackagePaths {
    /// The package root.
    public static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
