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
        /// Serialise the artifacts and add `manifest.json`. `vigil check` turns it off: the
        /// renderers still run, so their errors surface, but no bytes are made (the policy reads
        /// the resolved model only).
        public var files = true
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
        /// How many environments were compiled (also when `environments` is not kept).
        public var environmentCount = 0
    }

    /// The renderers, in target order.
    public var renderers: [any ArtifactRenderer]

    /// Creates a compiler with the standard renderers.
    public init(renderers: [any ArtifactRenderer] = [ARMTemplateRenderer(), DiagnosticSettingsRenderer(), RetentionRenderer(), MaintenanceRenderer(), DataExportRenderer(), PrometheusRenderer(), SyntheticsRenderer(), ScrapeRenderer(), GrafanaDashboardRenderer(), WorkbookRenderer()]) {
        self.renderers = renderers
    }

    /// The loaded inputs of a root: every document, the environments selected for compilation and
    /// what every environment's manifest records. Produced by ``load(_:)``; each selected
    /// environment then compiles on its own (``compile(_:in:keepDocuments:)``).
    public struct Inputs: Sendable {
        /// Diagnostics of discovery, loading and selection.
        public var diagnostics: Diagnostics
        /// Every loaded document, when the configuration loaded.
        public var specs: SpecSet?
        /// The environments to compile, sorted by name (empty when loading failed).
        public var selected: [SpecDocument]
        /// The text of every input file by display path (for source excerpts in reports).
        public var sources: [String: String]
        /// The output folder named by `vigil.yaml` (`output:`), resolved against the root.
        public var configuredOutput: URL?
        /// Whether every environment of the root (of the shard, with one) was selected.
        public var isFullRun: Bool
        /// The shard selected, if any.
        public var shard: Shard?
        /// The digest of the library's definitions (``Compiler/libraryDigest(_:)``).
        public var libraryDigest: String?
        /// The resolver, with the promotions of the options.
        var resolver: EnvironmentResolver
        /// Every file that loaded without a diagnostic, by path, when recorded (what the other
        /// side of a diff takes instead of loading it again).
        var loaded: [String: SpecLoader.Loaded] = [:]
    }

    /// One environment compiled: resolved, then rendered unless resolution failed.
    public struct EnvironmentResult: Sendable {
        /// The environment's name.
        public var name: String
        /// The resolved model, nil when resolution failed.
        public var resolved: ResolvedEnvironment?
        /// The rendered folder, nil when resolution or rendering reported an error.
        public var output: EnvironmentOutput?
        /// This environment's diagnostics.
        public var diagnostics: Diagnostics
    }

    /// Discovers and loads a root and selects the environments to compile.
    /// - Parameter options: What to compile.
    /// - Returns: The inputs; when `diagnostics.hasErrors`, nothing should be compiled.
    /// - Throws: I/O errors reading the root.
    public func load(_ options: Options) throws -> Inputs {
        try load(options, known: [:], record: false)
    }

    /// Loads a root, taking the document of every file whose bytes equal a file of `known`
    /// (``SpecLoader``); with `record`, ``Inputs/loaded`` lists the files that loaded cleanly.
    func load(_ options: Options, known: [String: SpecLoader.Loaded], record: Bool) throws -> Inputs {
        var diagnostics = Diagnostics()
        let tree = SourceTree(root: options.root, order: options.order, fileSystem: options.fileSystem)
        let loader = SpecLoader(limits: options.limits)
        var library = SourceTree.Library.embedded
        var configuredOutput: URL?
        var config: SpecDocument?
        let configFile = try tree.configFile()
        let full = options.environments.isEmpty
        var inputs = Inputs(
            diagnostics: diagnostics, specs: nil, selected: [], sources: [:], configuredOutput: nil, isFullRun: full,
            shard: options.shard, libraryDigest: nil, resolver: EnvironmentResolver(promotions: options.promotions))
        if let file = configFile {
            config = loader.load(file, diagnostics: &diagnostics)
            guard let config else {
                inputs.diagnostics = diagnostics
                inputs.sources = [file.path: String(decoding: file.contents, as: UTF8.self)]
                return inputs
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
        var (specs, loaded) = loader.load(files, known: known, record: record, diagnostics: &diagnostics)
        logger.debug("loaded \(specs.environments.count) environments, \(specs.baselines.count) baselines, \(specs.overlays.count) overlays, \(specs.templates.count) templates")
        specs.config = config
        var selected = select(specs.environments, names: options.environments, diagnostics: &diagnostics)
        if let shard = options.shard { selected = selected.filter { shard.contains($0.name.value) } }
        inputs.specs = specs
        inputs.loaded = loaded
        inputs.sources = sources
        inputs.configuredOutput = configuredOutput
        if !diagnostics.hasErrors {
            inputs.selected = selected
            inputs.libraryDigest = Self.libraryDigest(specs)
        }
        inputs.diagnostics = diagnostics
        return inputs
    }

    /// Compiles one environment of loaded inputs: resolve, then render when resolution succeeded.
    /// - Parameters:
    ///   - document: A selected environment document.
    ///   - inputs: The loaded inputs.
    ///   - keepDocuments: Keep the documents as trees in the output.
    ///   - manifest: Add `manifest.json` (`vigil diff` compares artifacts only and skips it).
    ///   - files: Serialise the artifacts at all (off: the folder has no files, not even the
    ///     manifest).
    /// - Returns: The environment's model, folder and diagnostics.
    public func compile(
        _ document: SpecDocument, in inputs: Inputs, keepDocuments: Bool = false, manifest: Bool = true, files: Bool = true
    ) -> EnvironmentResult {
        compile(document, in: inputs, keepDocuments: keepDocuments, manifest: manifest, files: files, reuse: nil)
    }

    /// Compiles one environment, taking stage results from the other side of a diff where their
    /// inputs are equal (``StageReuse``).
    func compile(
        _ document: SpecDocument, in inputs: Inputs, keepDocuments: Bool, manifest: Bool, files: Bool, reuse: StageReuse?
    ) -> EnvironmentResult {
        var diagnostics = Diagnostics()
        var result = EnvironmentResult(name: document.name.value, resolved: nil, output: nil, diagnostics: diagnostics)
        guard let specs = inputs.specs,
            let resolved = inputs.resolver.resolve(document, specs: specs, reuse: reuse, diagnostics: &diagnostics),
            !diagnostics.hasErrors
        else {
            result.diagnostics = diagnostics
            return result
        }
        result.resolved = resolved
        let output = render(
            resolved, libraryDigest: inputs.libraryDigest, keepDocuments: keepDocuments, manifest: manifest, files: files,
            reuse: reuse, diagnostics: &diagnostics)
        if !diagnostics.hasErrors { result.output = output }
        result.diagnostics = diagnostics
        return result
    }

    /// Compiles a root, keeping every environment's model and folder in memory.
    /// - Parameter options: What to compile.
    /// - Returns: The result; check `diagnostics.hasErrors` before using `outputs`.
    /// - Throws: I/O errors reading the root.
    public func compile(_ options: Options) throws -> Result {
        let inputs = try load(options)
        var result = Self.result(of: inputs)
        guard !inputs.diagnostics.hasErrors else { return result }
        let compiled = try eachEnvironment(of: inputs, options: options) { $0 }
        for environment in compiled {
            result.diagnostics.append(contentsOf: environment.diagnostics)
            if let resolved = environment.resolved { result.environments.append(resolved) }
            if let output = environment.output { result.outputs.append(output) }
        }
        result.environmentCount = compiled.count
        if result.diagnostics.hasErrors { result.outputs = [] }
        options.logger.debug("rendered \(result.outputs.reduce(0) { $0 + $1.files.count }) files")
        return result
    }

    /// Compiles a root one environment at a time and hands each to `each` as soon as it is
    /// rendered, then drops it: environments compile in parallel on every core, and memory is
    /// bounded by the environments in flight, not by the fleet (`vigil render`, `vigil check`).
    /// - Parameters:
    ///   - options: What to compile.
    ///   - each: Called once per selected environment, from any thread and concurrently. What it
    ///     returns joins that environment's diagnostics. Once it throws, environments not yet
    ///     started are skipped.
    /// - Returns: The diagnostics (in environment order) and the fleet's facts; `outputs` and
    ///   `environments` stay empty.
    /// - Throws: I/O errors reading the root, and the first error `each` threw (in environment
    ///   order).
    public func compile(_ options: Options, each: @Sendable (EnvironmentResult) throws -> [Diagnostic]) throws -> Result {
        try compile(load(options), options: options, each: each)
    }

    /// Compiles loaded inputs one environment at a time, like ``compile(_:each:)``.
    /// - Parameters:
    ///   - inputs: What ``load(_:)`` returned.
    ///   - options: The options the inputs were loaded with (documents, progress).
    ///   - each: Called once per selected environment, from any thread and concurrently.
    /// - Returns: The diagnostics, in environment order, and the fleet's facts.
    /// - Throws: The first error `each` threw, in environment order.
    public func compile(
        _ inputs: Inputs, options: Options, each: @Sendable (EnvironmentResult) throws -> [Diagnostic]
    ) throws -> Result {
        var result = Self.result(of: inputs)
        guard !inputs.diagnostics.hasErrors else { return result }
        let compiled = try eachEnvironment(of: inputs, options: options) { environment in
            var diagnostics = environment.diagnostics
            diagnostics.append(contentsOf: try each(environment))
            return diagnostics
        }
        for diagnostics in compiled { result.diagnostics.append(contentsOf: diagnostics) }
        result.environmentCount = compiled.count
        return result
    }

    /// Compiles every selected environment in parallel (one per task, on every core), passes
    /// each result through `body` on the same task and returns what `body` made, in environment
    /// order, so nothing depends on scheduling. Once `body` throws, environments not yet started
    /// are skipped and the first error in environment order is rethrown.
    func eachEnvironment<Made: Sendable>(
        of inputs: Inputs, options: Options, _ body: @Sendable (EnvironmentResult) throws -> Made
    ) throws -> [Made] {
        let compiler = self
        let keep = options.keepDocuments, files = options.files
        let progress = options.progress.map { report in ProgressCounter(total: inputs.selected.count, report: report) }
        let stop = StopFlag()
        let made = parallelMap(inputs.selected) { document -> Swift.Result<Made, any Error>? in
            guard !stop.isSet else { return nil }
            defer { progress?.step() }
            do {
                return .success(try body(compiler.compile(document, in: inputs, keepDocuments: keep, files: files)))
            } catch {
                stop.set()
                return .failure(error)
            }
        }
        return try made.compactMap { try $0?.get() }
    }

    /// A result holding the inputs' facts and diagnostics, before any environment compiled.
    static func result(of inputs: Inputs) -> Result {
        var result = Result(
            diagnostics: inputs.diagnostics, outputs: [], environments: [], configuredOutput: inputs.configuredOutput,
            isFullRun: inputs.isFullRun, specs: inputs.specs)
        result.sources = inputs.sources
        result.shard = inputs.shard
        return result
    }

    /// A flag set once, from any thread.
    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false

        var isSet: Bool {
            lock.lock()
            defer { lock.unlock() }
            return value
        }

        func set() {
            lock.lock()
            value = true
            lock.unlock()
        }
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
    ///   - manifest: Add `manifest.json`.
    ///   - files: Serialise the documents (off: only the renderers run, for their diagnostics).
    ///   - diagnostics: Where problems go.
    /// - Returns: The folder's files.
    public func render(
        _ environment: ResolvedEnvironment, libraryDigest: String? = nil, keepDocuments: Bool = false, manifest: Bool = true,
        files writeFiles: Bool = true, diagnostics: inout Diagnostics
    ) -> EnvironmentOutput {
        render(
            environment, libraryDigest: libraryDigest, keepDocuments: keepDocuments, manifest: manifest, files: writeFiles,
            reuse: nil, diagnostics: &diagnostics)
    }

    /// Renders one environment, taking a renderer's documents from the other side of a diff when
    /// its view (``ArtifactRenderer/view(of:)``) is equal (``StageReuse``).
    func render(
        _ environment: ResolvedEnvironment, libraryDigest: String?, keepDocuments: Bool, manifest: Bool,
        files writeFiles: Bool, reuse: StageReuse?, diagnostics: inout Diagnostics
    ) -> EnvironmentOutput {
        var documents: [ArtifactDocument] = []
        for (index, renderer) in renderers.enumerated() {
            if let reuse, let view = renderer.view(of: environment) {
                documents += reuse.documents(renderer: index, view: view, diagnostics: &diagnostics) {
                    renderer.render(view, diagnostics: &$0)
                }
            } else {
                documents += renderer.render(environment, diagnostics: &diagnostics)
            }
        }
        if let kustomization = KustomizationWriter.document(for: documents.map(\.path)) { documents.append(kustomization) }
        var files = writeFiles ? documents.map { RenderedFile(path: $0.path, bytes: $0.bytes()) } : []
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        if manifest && writeFiles {
            files.append(RenderedFile(path: "manifest.json", bytes: Self.manifest(for: environment, files: files, libraryDigest: libraryDigest)))
        }
        var output = EnvironmentOutput(name: environment.name, files: files)
        if keepDocuments { output.documents = documents }
        return output
    }

    /// `manifest.json`: each artifact's path and sha256, the Vigil version and the digest of the
    /// resolved model (not of raw input bytes: a comment-only edit changes nothing).
    static func manifest(for environment: ResolvedEnvironment, files: [RenderedFile], libraryDigest: String?) -> Data {
        return CanonicalJSONWriter().write(.fields([
            "environment": .string(environment.name),
            "vigilVersion": .string(version),
            "modelDigest": .string("sha256:" + ModelEncoder.digest(environment)),
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

    /// The SHA-256 of some bytes in lowercase hex.
    static func sha256(_ data: some DataProtocol) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Bytes (a digest) in lowercase hex.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
