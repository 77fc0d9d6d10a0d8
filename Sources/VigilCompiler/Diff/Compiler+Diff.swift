public import Foundation
public import Logging
import VigilModel

extension Compiler {
    /// What `vigil diff` compares the working tree with.
    public enum DiffBase: Sendable, Equatable {
        /// The inputs at a git revision, read from git objects.
        case revision(String)
        /// A rendered output folder, and how to name it in the report.
        case folder(URL, label: String)
    }

    /// What a diff produced.
    public enum DiffOutcome: Sendable {
        /// Both sides compiled.
        case diff(FleetDiff)
        /// A side did not compile: its label and its compilation (with the diagnostics).
        case failed(side: String, Result)
    }

    /// Renders the working tree and the base in memory and compares them.
    /// - Parameters:
    ///   - root: The root folder (the working tree).
    ///   - base: What to compare with.
    ///   - environments: Only these environments (all when empty); a name either side knows.
    ///   - order: Discovery order.
    ///   - logger: Stage progress.
    /// - Returns: The diff, or the side that failed to compile.
    /// - Throws: I/O errors, ``GitSnapshot/Failure`` and ``DiffSide/Failure``.
    public func diff(
        root: URL, base: DiffBase, environments: [String] = [], order: SourceTree.Order = .sorted,
        logger: Logger = Logger(label: "vigil", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws -> DiffOutcome {
        var options = Options(root: root, order: order, logger: logger)
        options.keepDocuments = true
        let headResult = try compile(options)
        guard !headResult.diagnostics.hasErrors else { return .failed(side: "working tree", headResult) }
        var head = DiffSide(compiled: headResult, label: "working tree")
        var baseSide: DiffSide
        switch base {
        case .folder(let folder, let label):
            baseSide = try DiffSide(folder: folder, label: label)
        case .revision(let revision):
            options.fileSystem = try GitSnapshot(revision: revision, in: root)
            let baseResult = try compile(options)
            guard !baseResult.diagnostics.hasErrors else { return .failed(side: revision, baseResult) }
            baseSide = DiffSide(compiled: baseResult, label: revision)
        }
        if !environments.isEmpty {
            var diagnostics = Diagnostics()
            let known = Set(head.environments.keys).union(baseSide.environments.keys)
            for name in Set(environments).sorted() where !known.contains(name) {
                diagnostics.append(Diagnostic(
                    "cli/unknown-environment", "no environment named '\(name)' on either side", at: nil,
                    hint: Suggestions.hint(for: name, in: Array(known), listing: "environments")))
            }
            guard !diagnostics.hasErrors else {
                var failed = headResult
                failed.diagnostics = diagnostics
                return .failed(side: "--env", failed)
            }
            head.environments = head.environments.filter { environments.contains($0.key) }
            baseSide.environments = baseSide.environments.filter { environments.contains($0.key) }
        }
        logger.debug("comparing \(baseSide.environments.count) environments of \(baseSide.label) with \(head.environments.count) of the working tree")
        return .diff(try Differ.diff(base: baseSide, head: head))
    }
}
