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

    /// Renders the working tree and the base and compares them, one environment at a time.
    ///
    /// Against a revision, only environments whose inputs differ are compiled at all: an
    /// environment's output depends on its own file, the baselines, the overlays that apply to it,
    /// the templates and `vigil.yaml`, so when the values of all of those are equal on both sides
    /// (``inputDigests(_:)``) its folders are equal too. A one-line change to one overlay compiles
    /// only the environments that overlay applies to. Each changed environment is compiled on
    /// both sides, compared and dropped, in parallel, so memory does not grow with the fleet; the
    /// base side takes the head side's template expansion and SLO compilation where their inputs
    /// are equal (``StageReuse``).
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
        let head = try load(options, known: [:], record: true)
        guard !head.diagnostics.hasErrors else { return .failed(side: "working tree", Self.result(of: head)) }
        let headDocuments = Dictionary(head.selected.map { ($0.name.value, $0) }, uniquingKeysWith: { a, _ in a })
        let label: String
        var baseDocuments: [String: SpecDocument] = [:]
        var baseInputs: Inputs?
        var folder: URL?
        var names: Set<String>
        switch base {
        case .folder(let url, let name):
            label = name
            folder = url
            names = Set(headDocuments.keys).union(try DiffSide.environmentFolders(in: url))
        case .revision(let revision):
            label = revision
            options.fileSystem = try GitSnapshot(revision: revision, in: root)
            // A file with the same bytes on both sides is not loaded again.
            let inputs = try load(options, known: head.loaded, record: false)
            guard !inputs.diagnostics.hasErrors else { return .failed(side: revision, Self.result(of: inputs)) }
            baseInputs = inputs
            baseDocuments = Dictionary(inputs.selected.map { ($0.name.value, $0) }, uniquingKeysWith: { a, _ in a })
            names = Set(headDocuments.keys).union(baseDocuments.keys)
        }
        if !environments.isEmpty {
            var diagnostics = Diagnostics()
            for name in Set(environments).sorted() where !names.contains(name) {
                diagnostics.append(Diagnostic(
                    "cli/unknown-environment", "no environment named '\(name)' on either side", at: nil,
                    hint: Suggestions.hint(for: name, in: Array(names), listing: "environments")))
            }
            guard !diagnostics.hasErrors else {
                var failed = Self.result(of: head)
                failed.diagnostics = diagnostics
                return .failed(side: "--env", failed)
            }
            names = names.intersection(environments)
        }
        let compared = names.count
        if let baseInputs {
            // Equal inputs on both sides give equal folders: those environments are not compiled.
            let before = Self.inputDigests(baseInputs), after = Self.inputDigests(head)
            names = names.filter { before[$0] == nil || before[$0] != after[$0] }
        }
        logger.debug("comparing \(names.count) of \(compared) environments of \(label) and the working tree")
        let compiler = self
        let frozenBase = baseInputs, frozenFolder = folder, frozenDocuments = baseDocuments
        let templatesEqual = StageReuse.templatesEqual(head.specs?.templates ?? [], baseInputs?.specs?.templates ?? [])
        let results = parallelMap(names.sorted()) { name -> Swift.Result<(EnvironmentDiff?, Diagnostics, Diagnostics), any Error> in
            Swift.Result {
                var headSide: DiffSide.Environment?
                var baseSide: DiffSide.Environment?
                var headDiagnostics = Diagnostics(), baseDiagnostics = Diagnostics()
                // The base side takes the head side's expansion and SLO compilation where their
                // inputs are equal.
                let reuse = frozenBase == nil ? nil : StageReuse(templatesEqual: templatesEqual)
                if let document = headDocuments[name] {
                    let compiled = compiler.compile(document, in: head, keepDocuments: true, manifest: false, files: true, reuse: reuse)
                    headDiagnostics = compiled.diagnostics
                    headSide = compiled.output.map { DiffSide.Environment(compiled: compiled, output: $0, spec: document) }
                }
                if let frozenFolder {
                    baseSide = try DiffSide.Environment(folder: frozenFolder.appendingPathComponent(name), name: name)
                } else if let frozenBase, let document = frozenDocuments[name] {
                    let compiled = compiler.compile(document, in: frozenBase, keepDocuments: true, manifest: false, files: true, reuse: reuse)
                    baseDiagnostics = compiled.diagnostics
                    baseSide = compiled.output.map { DiffSide.Environment(compiled: compiled, output: $0, spec: document) }
                }
                guard !headDiagnostics.hasErrors, !baseDiagnostics.hasErrors else { return (nil, headDiagnostics, baseDiagnostics) }
                return (try Differ.environment(base: baseSide, head: headSide), headDiagnostics, baseDiagnostics)
            }
        }
        var diffs: [EnvironmentDiff] = []
        var headDiagnostics = head.diagnostics, baseDiagnostics = Diagnostics()
        for result in results {
            let (diff, headFound, baseFound) = try result.get()
            headDiagnostics.append(contentsOf: headFound)
            baseDiagnostics.append(contentsOf: baseFound)
            if let diff { diffs.append(diff) }
        }
        if headDiagnostics.hasErrors {
            var failed = Self.result(of: head)
            failed.diagnostics = headDiagnostics
            return .failed(side: "working tree", failed)
        }
        if let baseInputs, baseDiagnostics.hasErrors {
            var failed = Self.result(of: baseInputs)
            failed.diagnostics = baseDiagnostics
            return .failed(side: label, failed)
        }
        return .diff(FleetDiff(base: label, head: "working tree", environmentsCompared: compared, environments: diffs))
    }

    /// A digest per selected environment of every value its output depends on: its own file,
    /// every baseline and template, the overlays that apply to its tier, compliance classes and
    /// stage, and `vigil.yaml`. Values, not bytes: comments, formatting and line numbers do not
    /// count (they never reach an artifact). An environment whose facts cannot be read gets no
    /// digest, so it is always compiled and its errors show.
    /// - Parameter inputs: Loaded inputs.
    /// - Returns: Environment name → digest.
    static func inputDigests(_ inputs: Inputs) -> [String: String] {
        guard let specs = inputs.specs else { return [:] }
        @Sendable func digest(_ document: SpecDocument) -> String {
            sha256(CanonicalJSONWriter().write(.array([.string(document.path), OverlayMerger.canonical(document.root)])))
        }
        let overlays = Dictionary(specs.overlays.map { ($0.path, digest($0)) }, uniquingKeysWith: { a, _ in a })
        let shared = ([specs.config].compactMap { $0 } + specs.baselines + specs.templates).map(digest).joined(separator: ",")
        let digests = parallelMap(inputs.selected) { document -> (String, String)? in
            guard var facts = EnvironmentResolver.facts(of: document) else { return nil }
            if let stage = inputs.resolver.promotions[facts.name] { facts.stage = stage }
            let layers = OverlayMerger.layers(for: facts, environment: document, specs: specs)
            let applied = layers.filter { $0.kind != .baseline && $0.kind != .overrides }.flatMap(\.documents).map { overlays[$0.path] ?? $0.path }
            let text = ([shared, digest(document)] + applied).joined(separator: ";")
            return (document.name.value, sha256(Data(text.utf8)))
        }
        return Dictionary(digests.compactMap { $0 }, uniquingKeysWith: { a, _ in a })
    }
}
