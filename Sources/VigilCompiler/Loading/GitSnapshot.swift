public import Foundation

/// The files of one commit, read from git objects: `git ls-tree` lists the tree once and
/// `git cat-file --batch` reads the blobs asked for in one process. The working tree and the
/// index are never touched.
///
/// Paths inside the repository map onto the commit's tree; a path outside it (a library folder
/// next to the repository) is read from disk as it is now, since git knows nothing of it.
public struct GitSnapshot: SourceFileSystem {
    /// What went wrong talking to git.
    public struct Failure: Error, CustomStringConvertible {
        /// The message, with git's own error text.
        public var description: String
    }

    /// The repository's top-level folder.
    public let topLevel: URL
    /// The commit read.
    public let commit: String
    /// Blob object ids by repository-relative path.
    let blobs: [String: String]
    /// Every folder of the tree (repository-relative, `""` for the top level).
    let folders: Set<String>
    let local = LocalFileSystem()

    /// Reads the tree of a revision.
    /// - Parameters:
    ///   - revision: Any revision git understands (`HEAD`, `main`, `HEAD~2`, a commit id).
    ///   - folder: A folder inside the repository.
    /// - Throws: ``Failure`` when the folder is not in a repository or the revision does not
    ///   name a commit.
    public init(revision: String, in folder: URL) throws {
        let top = try Self.git(["rev-parse", "--show-toplevel"], in: folder)
        let topPath = String(decoding: top, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !topPath.isEmpty else { throw Failure(description: "'\(folder.path)' is not inside a git repository") }
        topLevel = URL(fileURLWithPath: topPath).resolvingSymlinksInPath()
        guard !revision.hasPrefix("-") else { throw Failure(description: "'\(revision)' is not a revision") }
        let id = try Self.git(["rev-parse", "--verify", "--quiet", "\(revision)^{commit}"], in: folder)
        commit = String(decoding: id, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !commit.isEmpty else { throw Failure(description: "'\(revision)' does not name a commit") }
        // `-z`: entries are NUL-terminated and paths unquoted. Format: "<mode> <type> <id>\t<path>".
        let listing = try Self.git(["ls-tree", "-r", "-z", "--full-tree", commit], in: topLevel)
        var blobs: [String: String] = [:]
        var folders: Set<String> = [""]
        for entry in listing.split(separator: 0) {
            guard let tab = entry.firstIndex(of: 9) else { continue }
            let header = String(decoding: entry[entry.startIndex..<tab], as: UTF8.self).split(separator: " ")
            let path = String(decoding: entry[(tab + 1)...], as: UTF8.self)
            // Regular files only: symbolic links (120000) and submodules are not definitions.
            guard header.count == 3, header[1] == "blob", header[0] != "120000" else { continue }
            blobs[path] = String(header[2])
            var parent = (path as NSString).deletingLastPathComponent
            while !parent.isEmpty, folders.insert(parent).inserted { parent = (parent as NSString).deletingLastPathComponent }
        }
        self.blobs = blobs
        self.folders = folders
    }

    /// The repository-relative path of a URL, or nil when it lies outside the repository.
    func relative(_ url: URL) -> String? {
        let path = url.standardizedFileURL.path
        let roots = Set([topLevel.path, topLevel.standardizedFileURL.path])
        for root in roots {
            if path == root { return "" }
            if path.hasPrefix(root + "/") { return String(path.dropFirst(root.count + 1)) }
        }
        // The folder may have been named through a symbolic link to the repository.
        let resolved = url.resolvingSymlinksInPath().path
        if resolved == topLevel.path { return "" }
        if resolved.hasPrefix(topLevel.path + "/") { return String(resolved.dropFirst(topLevel.path.count + 1)) }
        return nil
    }

    public func fileExists(_ url: URL) -> Bool {
        guard let path = relative(url) else { return local.fileExists(url) }
        return blobs[path] != nil
    }

    public func isDirectory(_ url: URL) -> Bool {
        guard let path = relative(url) else { return local.isDirectory(url) }
        return folders.contains(path)
    }

    public func files(under base: URL, skippingHidden: Bool) throws -> [String] {
        guard let path = relative(base) else { return try local.files(under: base, skippingHidden: skippingHidden) }
        guard folders.contains(path) else { return [] }
        let prefix = path.isEmpty ? "" : path + "/"
        return blobs.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
            .filter { !skippingHidden || !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
            .sorted()
    }

    public func contents(of urls: [URL]) throws -> [Data] {
        var result = [Data?](repeating: nil, count: urls.count)
        var wanted: [(index: Int, id: String)] = []
        for (index, url) in urls.enumerated() {
            if let path = relative(url) {
                guard let id = blobs[path] else { throw Failure(description: "'\(path)' does not exist at \(commit)") }
                wanted.append((index, id))
            } else {
                result[index] = try local.contents(of: url)
            }
        }
        if !wanted.isEmpty {
            let blobs = try readBlobs(wanted.map(\.id))
            for (offset, entry) in wanted.enumerated() { result[entry.index] = blobs[offset] }
        }
        return result.map { $0 ?? Data() }
    }

    public func identity(of url: URL) -> String {
        relative(url).map { "git:\($0)" } ?? local.identity(of: url)
    }

    /// Reads blobs with one `git cat-file --batch`: each answer is "<id> blob <size>\n<bytes>\n".
    func readBlobs(_ ids: [String]) throws -> [Data] {
        let output = try Self.git(["cat-file", "--batch"], in: topLevel, input: Data(ids.map { $0 + "\n" }.joined().utf8))
        var blobs: [Data] = []
        blobs.reserveCapacity(ids.count)
        var cursor = output.startIndex
        for id in ids {
            guard let newline = output[cursor...].firstIndex(of: 10) else { throw Failure(description: "git cat-file: short answer for \(id)") }
            let header = String(decoding: output[cursor..<newline], as: UTF8.self).split(separator: " ")
            guard header.count == 3, header[1] == "blob", let size = Int(header[2]) else {
                throw Failure(description: "git cat-file: unexpected answer '\(header.joined(separator: " "))' for \(id)")
            }
            let start = newline + 1
            guard output.endIndex - start >= size + 1 else { throw Failure(description: "git cat-file: short blob \(id)") }
            blobs.append(Data(output[start..<(start + size)]))
            cursor = start + size + 1
        }
        return blobs
    }

    /// Runs git and returns its standard output; throws with its standard error when it fails.
    static func git(_ arguments: [String], in folder: URL, input: Data? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_OPTIONAL_LOCKS"] = "0"  // read-only: never refresh the index
        environment["LC_ALL"] = "C"
        process.environment = environment
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        do { try process.run() } catch { throw Failure(description: "cannot run git: \(error)") }
        // Feed standard input and drain standard error on their own threads, so a large answer
        // on standard output can never block the writer.
        let group = DispatchGroup()
        if let input {
            DispatchQueue.global().async(group: group) {
                try? stdin.fileHandleForWriting.write(contentsOf: input)
                try? stdin.fileHandleForWriting.close()
            }
        }
        let errors = ErrorBuffer()
        DispatchQueue.global().async(group: group) { errors.data = stderr.fileHandleForReading.readDataToEndOfFile() }
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            // `rev-parse --verify --quiet` fails silently for an unknown revision: an empty answer.
            if arguments.first == "rev-parse", arguments.contains("--quiet") { return Data() }
            let message = String(decoding: errors.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: "git \(arguments.first ?? ""): \(message.isEmpty ? "exit \(process.terminationStatus)" : message)")
        }
        return data
    }

    private final class ErrorBuffer: @unchecked Sendable {
        var data = Data()
    }
}
