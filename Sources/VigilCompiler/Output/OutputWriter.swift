public import Foundation

/// Writes environment folders under an output directory, each replaced atomically, and compares
/// rendered output with what is on disk.
///
/// Stage: output (after render). Protocol of a write:
/// 1. Recover from an interrupted earlier run: a `.vigil-old-<env>` whose `<env>` is missing is
///    renamed back; leftover `.vigil-new-<env>` folders are removed.
/// 2. Stage every environment as `.vigil-new-<env>` (nothing visible changes yet; an I/O failure
///    here removes the staged folders and leaves the tree as it was).
/// 3. Per environment: rename `<env>` to `.vigil-old-<env>`, rename `.vigil-new-<env>` to `<env>`,
///    remove `.vigil-old-<env>`. Each rename is atomic on one file system.
/// 4. On a full run, remove environment folders (folders holding a `manifest.json`) that are no
///    longer defined: each is renamed to `.vigil-retired-<env>` first, then deleted, so a crash
///    leaves a folder that step 1 of the next run removes. Other files are left alone.
public struct OutputWriter: Sendable {
    /// The output directory (`out/`).
    public var directory: URL

    static let stagingPrefix = ".vigil-new-"
    static let oldPrefix = ".vigil-old-"
    static let retiredPrefix = ".vigil-retired-"

    /// Creates a writer.
    /// - Parameter directory: The output directory.
    public init(directory: URL) { self.directory = directory.standardizedFileURL }

    /// One difference between rendered output and the output directory.
    public struct Drift: Sendable, Hashable, CustomStringConvertible {
        /// What differs.
        public enum Kind: String, Sendable, Hashable {
            /// Rendered but not on disk.
            case missing
            /// On disk but not rendered.
            case extra
            /// On disk with other bytes.
            case changed
        }
        /// What differs.
        public var kind: Kind
        /// The path relative to the output directory.
        public var path: String

        /// `missing: acme-prod/azure/alerts.json`.
        public var description: String { "\(kind.rawValue): \(path)" }
    }

    /// Writes the given environment folders.
    /// - Parameters:
    ///   - outputs: The folders.
    ///   - prune: Remove environment folders not in `outputs` (a full run).
    ///   - shard: With a shard, only its environments' folders are pruned or recovered, so shards
    ///     writing into one directory never touch each other's.
    /// - Throws: I/O errors; a failure before the swap leaves the directory as it was.
    public func write(_ outputs: [EnvironmentOutput], prune: Bool, shard: Shard? = nil) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        try recover(shard: shard)
        var staged: [(String, URL)] = []
        do {
            for output in outputs {
                let staging = directory.appendingPathComponent(Self.stagingPrefix + output.name)
                try? fm.removeItem(at: staging)
                try fm.createDirectory(at: staging, withIntermediateDirectories: false)
                staged.append((output.name, staging))
                for file in output.files {
                    let url = staging.appendingPathComponent(file.path)
                    try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try file.bytes.write(to: url)
                }
            }
        } catch {
            for (_, url) in staged { try? fm.removeItem(at: url) }
            throw error
        }
        for (name, staging) in staged {
            let target = directory.appendingPathComponent(name)
            let old = directory.appendingPathComponent(Self.oldPrefix + name)
            try? fm.removeItem(at: old)
            if fm.fileExists(atPath: target.path) { try fm.moveItem(at: target, to: old) }
            try fm.moveItem(at: staging, to: target)
            try? fm.removeItem(at: old)
        }
        if prune {
            let keep = Set(outputs.map(\.name))
            for name in try environmentFolders() where !keep.contains(name) && shard?.contains(name) != false {
                // Renamed first, so a crash mid-delete leaves a folder the next run removes.
                let retired = directory.appendingPathComponent(Self.retiredPrefix + name)
                try? fm.removeItem(at: retired)
                try fm.moveItem(at: directory.appendingPathComponent(name), to: retired)
                try fm.removeItem(at: retired)
            }
        }
    }

    /// Undoes what an interrupted run left behind.
    func recover(shard: Shard? = nil) throws {
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: directory.path) {
            let url = directory.appendingPathComponent(name)
            if let shard, let environment = [Self.oldPrefix, Self.stagingPrefix, Self.retiredPrefix].first(where: name.hasPrefix)
                .map({ String(name.dropFirst($0.count)) }), !shard.contains(environment)
            {
                continue
            }
            if name.hasPrefix(Self.oldPrefix) {
                let target = directory.appendingPathComponent(String(name.dropFirst(Self.oldPrefix.count)))
                if fm.fileExists(atPath: target.path) {
                    try fm.removeItem(at: url)
                } else {
                    try fm.moveItem(at: url, to: target)
                }
            } else if name.hasPrefix(Self.stagingPrefix) || name.hasPrefix(Self.retiredPrefix) {
                try fm.removeItem(at: url)
            }
        }
    }

    /// Folders of the output directory that hold a Vigil `manifest.json`, sorted.
    public func environmentFolders() throws -> [String] {
        let fm = FileManager.default
        guard fm.fileExists(atPath: directory.path) else { return [] }
        return try fm.contentsOfDirectory(atPath: directory.path).filter { name in
            !name.hasPrefix(".")
                && fm.fileExists(atPath: directory.appendingPathComponent(name).appendingPathComponent("manifest.json").path)
        }.sorted()
    }

    /// Compares rendered folders with the output directory, writing nothing.
    /// - Parameters:
    ///   - outputs: The rendered folders.
    ///   - full: Also report environment folders on disk that were not rendered.
    ///   - shard: With a shard, only its environments' folders count as extra.
    /// - Returns: The differences, sorted by path.
    /// - Throws: I/O errors.
    public func drift(_ outputs: [EnvironmentOutput], full: Bool, shard: Shard? = nil) throws -> [Drift] {
        var result: [Drift] = []
        for output in outputs {
            let folder = directory.appendingPathComponent(output.name)
            var onDisk = Set(try Self.files(under: folder))
            for file in output.files {
                let path = "\(output.name)/\(file.path)"
                guard onDisk.remove(file.path) != nil else {
                    result.append(Drift(kind: .missing, path: path))
                    continue
                }
                if (try? Data(contentsOf: folder.appendingPathComponent(file.path))) != file.bytes {
                    result.append(Drift(kind: .changed, path: path))
                }
            }
            result += onDisk.map { Drift(kind: .extra, path: "\(output.name)/\($0)") }
        }
        if full {
            let rendered = Set(outputs.map(\.name))
            for name in try environmentFolders() where !rendered.contains(name) && shard?.contains(name) != false {
                result.append(Drift(kind: .extra, path: "\(name)/"))
            }
        }
        return result.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// Relative paths of the regular files below a folder (none if it does not exist).
    static func files(under folder: URL) throws -> [String] {
        try SourceTree.files(under: folder, skippingHidden: false)
    }
}
