public import Foundation
import Dispatch
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes environment folders under an output directory, each replaced atomically, and compares
/// rendered output with what is on disk.
///
/// Stage: output (after render). Protocol of a write:
/// 1. Recover from an interrupted earlier run: a `.vigil-old-<env>` whose `<env>` is missing is
///    renamed back; leftover `.vigil-new-<env>` folders are removed.
/// 2. Stage every environment as `.vigil-new-<env>` (nothing visible changes yet; an I/O failure
///    here removes the staged folders and leaves the tree as it was).
/// 3. Per environment: rename `.vigil-new-<env>` to `<env>` when there is no `<env>` yet; else
///    rename `<env>` to `.vigil-old-<env>`, then `.vigil-new-<env>` to `<env>`. Each rename is
///    atomic on one file system. The `.vigil-old-<env>` folders are removed once every environment
///    is swapped in, in parallel.
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
        let staging = begin(shard: shard)
        do {
            for output in outputs { try staging.stage(output) }
        } catch {
            staging.discard()
            throw error
        }
        try staging.commit(prune: prune)
    }

    /// Starts a write. The returned staging takes environments one at a time (from any thread,
    /// as they are rendered), then swaps them in together. Nothing on disk changes until the
    /// first environment is staged: then the directory is created and an interrupted earlier run
    /// recovered (step 1).
    /// - Parameter shard: With a shard, only its environments' folders are pruned or recovered.
    /// - Returns: The staging area.
    public func begin(shard: Shard? = nil) -> Staging {
        Staging(writer: self, shard: shard)
    }

    /// A write in progress: step 2 of the protocol happens in ``stage(_:)``, steps 3 and 4 in
    /// ``commit(prune:)``; ``discard()`` removes what was staged and leaves the tree as it was.
    public final class Staging: @unchecked Sendable {
        let writer: OutputWriter
        let shard: Shard?
        private let lock = NSLock()
        private var staged: [String: URL] = [:]
        private var prepared = false
        private var createdDirectory = false

        init(writer: OutputWriter, shard: Shard?) {
            self.writer = writer
            self.shard = shard
        }

        /// Writes one environment's folder as `.vigil-new-<env>`; nothing visible changes. Safe to
        /// call from several threads for different environments.
        /// - Parameter output: The folder.
        /// - Throws: I/O errors.
        public func stage(_ output: EnvironmentOutput) throws {
            let folder = writer.directory.appendingPathComponent(OutputWriter.stagingPrefix + output.name)
            try prepare()
            lock.lock()
            staged[output.name] = folder
            lock.unlock()
            // Step 1 removed every leftover staging folder; one still there (the same environment
            // staged twice) is removed first, so no stale file survives in it.
            if FileManager.default.fileExists(atPath: folder.path) { try? FileManager.default.removeItem(at: folder) }
            try FileWrite.folder(folder, files: output.files)
        }

        /// Step 1, once: creates the directory and recovers from an interrupted earlier run.
        func prepare() throws {
            lock.lock()
            defer { lock.unlock() }
            guard !prepared else { return }
            let fm = FileManager.default
            if !fm.fileExists(atPath: writer.directory.path) {
                try fm.createDirectory(at: writer.directory, withIntermediateDirectories: true)
                createdDirectory = true
            }
            try writer.recover(shard: shard)
            prepared = true
        }

        /// Swaps every staged folder in, then (on a full run) removes folders of environments that
        /// were not staged.
        /// - Parameter prune: Remove environment folders not staged (a full run).
        /// - Throws: I/O errors.
        public func commit(prune: Bool) throws {
            let fm = FileManager.default
            try prepare()
            lock.lock()
            let folders = staged.sorted { $0.key < $1.key }
            lock.unlock()
            var replaced: [URL] = []
            for (name, staging) in folders {
                let target = writer.directory.appendingPathComponent(name)
                // A new environment (or an empty folder in its place): one rename.
                if rename(staging.path, target.path) == 0 { continue }
                let old = writer.directory.appendingPathComponent(OutputWriter.oldPrefix + name)
                try? fm.removeItem(at: old)
                if fm.fileExists(atPath: target.path) { try fm.moveItem(at: target, to: old) }
                try fm.moveItem(at: staging, to: target)
                replaced.append(old)
            }
            // The replaced folders go last, on every core: a crash before leaves `.vigil-old-<env>`
            // next to its `<env>`, which step 1 of the next run removes.
            let leftovers = replaced
            DispatchQueue.concurrentPerform(iterations: leftovers.count) { index in
                try? FileManager.default.removeItem(at: leftovers[index])
            }
            guard prune else { return }
            let keep = Set(folders.map(\.key))
            for name in try writer.environmentFolders() where !keep.contains(name) && shard?.contains(name) != false {
                // Renamed first, so a crash mid-delete leaves a folder the next run removes.
                let retired = writer.directory.appendingPathComponent(OutputWriter.retiredPrefix + name)
                try? fm.removeItem(at: retired)
                try fm.moveItem(at: writer.directory.appendingPathComponent(name), to: retired)
                try fm.removeItem(at: retired)
            }
        }

        /// Removes every staged folder (and the output directory, if staging created it).
        public func discard() {
            lock.lock()
            let folders = Array(staged.values)
            staged = [:]
            lock.unlock()
            for folder in folders { try? FileManager.default.removeItem(at: folder) }
            if createdDirectory { try? FileManager.default.removeItem(at: writer.directory) }
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
        for output in outputs { result += try drift(of: output) }
        if full { result += try extraFolders(rendered: Set(outputs.map(\.name)), shard: shard) }
        return result.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// Compares one rendered folder with its folder on disk, writing nothing.
    /// - Parameter output: The rendered folder.
    /// - Returns: The differences, unsorted.
    /// - Throws: I/O errors.
    public func drift(of output: EnvironmentOutput) throws -> [Drift] {
        var result: [Drift] = []
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
        return result
    }

    /// Environment folders on disk that were not rendered (with a shard, only its own).
    /// - Parameters:
    ///   - rendered: The names rendered.
    ///   - shard: The shard rendered, if any.
    /// - Returns: One `extra` drift per folder, sorted.
    /// - Throws: I/O errors.
    public func extraFolders(rendered: Set<String>, shard: Shard? = nil) throws -> [Drift] {
        try environmentFolders().filter { !rendered.contains($0) && shard?.contains($0) != false }
            .map { Drift(kind: .extra, path: "\($0)/") }
    }

    /// Relative paths of the regular files below a folder (none if it does not exist).
    static func files(under folder: URL) throws -> [String] {
        try SourceTree.files(under: folder, skippingHidden: false)
    }
}
