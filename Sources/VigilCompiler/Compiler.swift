public import Foundation
import Crypto
public import Logging
public import VigilModel

/// The facade every front end calls: discover → load → merge → render.
///
/// Stages, each with its own input and output type:
/// 1. **Discover** (``SourceTree``): the root and its library → `[SourceFile]`, sorted by path.
/// 2. **Load** (``SpecLoader``): `SourceFile` → `SpecDocument` (Yams `compose`, own node reader,
///    schema checks; every value keeps file:line:column).
/// 3. **Merge** (``EnvironmentResolver``): baseline, overlays and the environment's overrides →
///    ``ResolvedEnvironment`` (JSON Merge Patch by id, `when` selectors, provenance).
/// 4. **Render** (``ArtifactRenderer``s): `ResolvedEnvironment` → `[ArtifactDocument]` →
///    canonical writers → `[RenderedFile]` plus `manifest.json`.
///
/// Each stage appends to one ``Diagnostics`` bag; a stage whose input has errors is not run, and
/// nothing is written by the compiler itself (see ``OutputWriter``).
public struct Compiler: Sendable {
    /// The Vigil version, recorded in `manifest.json`.
    public static let version = "0.1.0"

    /// What to compile.
    public struct Options: Sendable {
        /// The root folder.
        public var root: URL
        /// Environments to compile; empty means all.
        public var environments: [String]
        /// Discovery order (output never depends on it).
        public var order: SourceTree.Order
        /// Loader limits.
        public var limits: LoaderLimits
        /// Where stage progress is logged (debug level); quiet by default.
        public var logger: Logger
        /// Environments to evaluate as if they were at another stage (`vigil check --promote`).
        public var promotions: [String: Stage] = [:]
        /// Where the definitions are read from: the working tree, or a commit (``GitSnapshot``).
        public var fileSystem: any SourceFileSystem = LocalFileSystem()
        /// Keep each output's documents as trees next to their bytes (``EnvironmentOutput/documents``).
        public var keepDocuments = false
        /// Only the environments of this shard (`--shard i/n`).
        public var shard: Shard?
        /// Called after each environment is rendered, with how many are done and the total; from
        /// any thread (the CLI draws a progress line on a terminal).
        public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?

        /// Creates options.
        public init(
            root: URL, environments: [String] = [], order: SourceTree.Order = .sorted, limits: LoaderLimits = .standard,
            logger: Logger = Logger(label: "vigil", factory: { _ in SwiftLogNoOpLogHandler() })
        ) {
            self.root = root
            self.environments = environments
            self.order = order
            self.limits = limits
            self.logger = logger
        }
    }

    /// What a compilation produced.
    public struct Result: Sendable {
        /// Every diagnostic, unsorted (report ``Diagnostics/sorted``).
        public var diagnostics: Diagnostics
        /// The rendered folders of the selected environments, sorted by name; empty on errors.
        public var outputs: [EnvironmentOutput]
        /// The resolved environments, sorted by name.
        public var environments: [ResolvedEnvironment]
        /// The output folder named by `vigil.yaml` (`output:`), resolved against the root.
        public var configuredOutput: URL?
        /// Whether every environment of the root (of the shard, with one) was selected (no `--env`
        /// filter).
        public var isFullRun: Bool
        /// The shard compiled, if any: a full run prunes and checks only this shard's folders.
        public var shard: Shard? = nil
        /// Every loaded document (for the policy check), when loading succeeded.
        public var specs: SpecSet? = nil
        /// The text of every input file by display path (for source excerpts in reports).
        public var sources: [String: String] = [:]
    }

    /// The renderers, in target order.
    public var renderers: [any ArtifactRenderer]

    /// Creates a compiler with the standard renderers.
    public init(renderers: [any ArtifactRenderer] = [ARMTemplateRenderer(), DiagnosticSettingsRenderer(), RetentionRenderer(), MaintenanceRenderer(), DataExportRenderer(), PrometheusRenderer(), SyntheticsRenderer(), ScrapeRenderer(), GrafanaDashboardRenderer(), WorkbookRenderer()]) {
        self.renderers = renderers
    }

    /// Compiles a root.
    /// - Parameter options: What to compile.
    /// - Returns: The result; check `diagnostics.hasErrors` before using `outputs`.
    /// - Throws: I/O errors reading the root.
    public func compile(_ options: Options) throws -> Result {
        var diagnostics = Diagnostics()
        let tree = SourceTree(root: options.root, order: options.order, fileSystem: options.fileSystem)
        let loader = SpecLoader(limits: options.limits)
        var library = SourceTree.Library.embedded
        var configuredOutput: URL?
        var config: SpecDocument?
        let configFile = try tree.configFile()
        let full = options.environments.isEmpty
        if let file = configFile {
            config = loader.load(file, diagnostics: &diagnostics)
            guard let config else {
                var failed = Result(diagnostics: diagnostics, outputs: [], environments: [], configuredOutput: nil, isFullRun: full)
                failed.sources = [file.path: String(decoding: file.contents, as: UTF8.self)]
                return failed
            }
            if config.root["library"]?.string == "none" {
                library = .none
            } else if let path = config.root["library"]?.string {
                let url = URL(fileURLWithPath: path, relativeTo: tree.root).standardizedFileURL
                if options.fileSystem.isDirectory(url) {
                    library = .directory(url)
                } else {
                    diagnostics.append(Diagnostic(
                        "config/library-not-found", "library folder '\(path)' does not exist",
                        at: config.root["library"]?.span, hint: "give a path relative to the folder of vigil.yaml"))
                }
            }
            if let path = config.root["output"]?.string {
                configuredOutput = URL(fileURLWithPath: path, relativeTo: tree.root).standardizedFileURL
            }
        }
        let logger = options.logger
        let files = try tree.discover(library: library).filter { $0.kind != .config }
        logger.debug("discovered \(files.count) files", metadata: ["library": "\(library)"])
        var sources: [String: String] = [:]
        for file in files + [configFile].compactMap({ $0 }) {
            sources[file.path] = String(decoding: file.contents, as: UTF8.self)
        }
        var specs = loader.load(files, diagnostics: &diagnostics)
        logger.debug("loaded \(specs.environments.count) environments, \(specs.baselines.count) baselines, \(specs.overlays.count) overlays, \(specs.templates.count) templates")
        specs.config = config
        var selected = select(specs.environments, names: options.environments, diagnostics: &diagnostics)
        if let shard = options.shard { selected = selected.filter { shard.contains($0.name.value) } }
        func finish(_ environments: [ResolvedEnvironment], _ outputs: [EnvironmentOutput]) -> Result {
            var result = Result(
                diagnostics: diagnostics, outputs: diagnostics.hasErrors ? [] : outputs, environments: environments,
                configuredOutput: configuredOutput, isFullRun: full, specs: specs)
            result.sources = sources
            result.shard = options.shard
            return result
        }
        guard !diagnostics.hasErrors else { return finish([], []) }
        // Environments resolve and render in parallel; results and diagnostics are collected in
        // environment order, so the outcome does not depend on scheduling.
        let resolver = EnvironmentResolver(promotions: options.promotions)
        let frozen = specs
        let resolvedAll = parallelMap(selected) { document -> (ResolvedEnvironment?, Diagnostics) in
            var local = Diagnostics()
            let resolved = resolver.resolve(document, specs: frozen, diagnostics: &local)
            return (resolved, local)
        }
        var environments: [ResolvedEnvironment] = []
        for (resolved, local) in resolvedAll {
            diagnostics.append(contentsOf: local)
            if let resolved { environments.append(resolved) }
        }
        guard !diagnostics.hasErrors else { return finish(environments, []) }
        logger.debug("resolved \(environments.count) environments, \(environments.reduce(0) { $0 + $1.alerts.count }) alerts")
        let digest = Self.libraryDigest(specs)
        let compiler = self
        let keep = options.keepDocuments
        let progress = options.progress.map { report in ProgressCounter(total: environments.count, report: report) }
        let rendered = parallelMap(environments) { environment -> (EnvironmentOutput, Diagnostics) in
            var local = Diagnostics()
            let output = compiler.render(environment, libraryDigest: digest, keepDocuments: keep, diagnostics: &local)
            progress?.step()
            return (output, local)
        }
        var outputs: [EnvironmentOutput] = []
        for (output, local) in rendered {
            diagnostics.append(contentsOf: local)
            outputs.append(output)
        }
        logger.debug("rendered \(outputs.reduce(0) { $0 + $1.files.count }) files")
        return finish(environments, outputs)
    }

    /// Picks the environments to compile and checks their names.
    func select(_ documents: [SpecDocument], names: [String], diagnostics: inout Diagnostics) -> [SpecDocument] {
        var byName: [String: SpecDocument] = [:]
        for document in documents {
            let fileName = (document.path as NSString).lastPathComponent
            let stem = (fileName as NSString).deletingPathExtension
            if stem != document.name.value {
                diagnostics.append(Diagnostic(
                    "schema/name-mismatch", "environment '\(document.name.value)' is defined in '\(fileName)'",
                    at: document.name.span, hint: "name the file '\(document.name.value).yaml' or change 'name'"))
            }
            if byName[document.name.value] == nil { byName[document.name.value] = document }
        }
        guard !names.isEmpty else { return byName.keys.sorted().compactMap { byName[$0] } }
        var result: [SpecDocument] = []
        for name in Set(names).sorted() {
            if let document = byName[name] {
                result.append(document)
            } else {
                diagnostics.append(Diagnostic(
                    "cli/unknown-environment", "no environment named '\(name)'", at: nil,
                    hint: Suggestions.hint(for: name, in: Array(byName.keys), listing: "environments")))
            }
        }
        return result
    }

    /// The digest of the library's loaded definitions (values, not bytes: comments and
    /// formatting do not count), recorded in every `manifest.json`.
    static func libraryDigest(_ specs: SpecSet) -> String {
        let documents = (specs.baselines + specs.overlays + specs.templates).filter { $0.path.hasPrefix("library:/") }
            .sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        let tree = CanonicalValue.array(documents.map {
            .fields(["path": .string($0.path), "definition": OverlayMerger.canonical($0.root)])
        })
        return "sha256:" + sha256(CanonicalJSONWriter().write(tree))
    }

    /// Renders one environment's folder, manifest included.
    /// - Parameters:
    ///   - environment: The resolved environment.
    ///   - libraryDigest: The library digest to record in the manifest.
    ///   - keepDocuments: Keep the documents as trees in the output.
    ///   - diagnostics: Where problems go.
    /// - Returns: The folder's files.
    public func render(
        _ environment: ResolvedEnvironment, libraryDigest: String? = nil, keepDocuments: Bool = false,
        diagnostics: inout Diagnostics
    ) -> EnvironmentOutput {
        var documents: [ArtifactDocument] = []
        for renderer in renderers { documents += renderer.render(environment, diagnostics: &diagnostics) }
        if let kustomization = KustomizationWriter.document(for: documents.map(\.path)) { documents.append(kustomization) }
        var files = documents.map { RenderedFile(path: $0.path, bytes: $0.bytes()) }
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        let manifest = Self.manifest(for: environment, files: files, libraryDigest: libraryDigest)
        files.append(RenderedFile(path: "manifest.json", bytes: manifest))
        var output = EnvironmentOutput(name: environment.name, files: files)
        if keepDocuments { output.documents = documents }
        return output
    }

    /// `manifest.json`: each artifact's path and sha256, the Vigil version and the digest of the
    /// resolved model (not of raw input bytes: a comment-only edit changes nothing).
    static func manifest(for environment: ResolvedEnvironment, files: [RenderedFile], libraryDigest: String?) -> Data {
        let model = CanonicalJSONWriter().write(ModelEncoder.encode(environment))
        return CanonicalJSONWriter().write(.fields([
            "environment": .string(environment.name),
            "vigilVersion": .string(version),
            "modelDigest": .string("sha256:" + sha256(model)),
            "libraryDigest": libraryDigest.map { .string($0) },
            "artifacts": .array(files.map { .fields(["path": .string($0.path), "sha256": .string(sha256($0.bytes))]) }),
        ]))
    }

    /// Counts finished environments across threads and reports each step.
    final class ProgressCounter: @unchecked Sendable {
        let total: Int
        let report: @Sendable (Int, Int) -> Void
        let lock = NSLock()
        var done = 0

        init(total: Int, report: @escaping @Sendable (Int, Int) -> Void) {
            self.total = total
            self.report = report
        }

        func step() {
            lock.lock()
            done += 1
            let now = done
            report(now, total)
            lock.unlock()
        }
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
