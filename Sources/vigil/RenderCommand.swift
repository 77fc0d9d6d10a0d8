import ArgumentParser
import Foundation
import VigilCompiler
import VigilModel

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render every environment's artifacts into the output folder.",
        discussion: """
            Loads vigil.yaml, the library it names and the root's definitions, merges each \
            environment and writes out/<environment>/ (each folder replaced atomically). A run \
            with any error writes nothing. Without --env, folders of environments that no longer \
            exist are removed.

            Examples:
              vigil render --root examples
              vigil render --root examples --env acme-prod --env acme-staging
              vigil render --root examples --check     (exit 1 when out/ is stale; writes nothing)
              vigil render --root examples --out /tmp/out
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The output folder (default: vigil.yaml 'output', else ROOT/out).", valueName: "dir"))
    var out: String?

    @Flag(name: .long, help: "Render in memory and exit 1 when the output folder is stale; write nothing.")
    var check = false

    @OptionGroup var sharding: ShardOptions

    func run() throws {
        let root = try global.existingRoot(command: "render")
        var options = Compiler.Options(root: root, environments: global.environments, order: DebugSettings.discoveryOrder, logger: global.logger)
        sharding.apply(to: &options)
        let compiler = Compiler()
        let inputs: Compiler.Inputs
        do {
            inputs = try compiler.load(options)
        } catch {
            Console.error("vigil: error: cannot read the root: \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
        let outURL: URL
        if let out {
            outURL = URL(fileURLWithPath: out, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        } else {
            outURL = inputs.configuredOutput ?? root.appendingPathComponent("out")
        }
        // Each environment is written (or compared) as soon as it is rendered and then dropped,
        // so memory does not grow with the fleet. Staged folders become visible only in commit.
        let writer = OutputWriter(directory: outURL)
        let staging = writer.begin(shard: inputs.shard)
        let state = RenderState()
        let strict = global.strict
        let result: Compiler.Result
        do {
            result = try compiler.compile(inputs, options: options) { environment in
                guard let output = environment.output, !state.failed(strict: strict, environment.diagnostics) else { return [] }
                state.count(files: output.files.count)
                if check {
                    state.add(try writer.drift(of: output))
                } else {
                    try staging.stage(output)
                }
                return []
            }
            Console.endProgress()
        } catch {
            Console.endProgress()
            staging.discard()
            Console.error("vigil: error: cannot \(check ? "read" : "write") \(outURL.path): \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
        Console.report(result.diagnostics, sources: result.sources)
        if result.diagnostics.hasErrors || (global.strict && result.diagnostics.warningCount > 0) {
            staging.discard()
            throw ExitCode(ExitStatus.findings.rawValue)
        }
        let environments = result.environmentCount
        if check {
            var items = state.drift
            do {
                if result.isFullRun {
                    items += try writer.extraFolders(rendered: Set(inputs.selected.map(\.name.value)), shard: result.shard)
                }
            } catch {
                Console.error("vigil: error: cannot read \(outURL.path): \(error)")
                throw ExitCode(ExitStatus.internalError.rawValue)
            }
            if items.isEmpty {
                Console.error("vigil: \(environments) environment\(environments == 1 ? "" : "s") up to date")
                return
            }
            for item in items.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
                Console.error("vigil: stale: \(item)")
            }
            Console.error("vigil: the output folder is stale; run 'vigil render' and commit the result")
            throw ExitCode(ExitStatus.findings.rawValue)
        }
        do {
            try staging.commit(prune: result.isFullRun)
        } catch {
            Console.error("vigil: error: cannot write \(outURL.path): \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
        let shard = result.shard.map { " (shard \($0))" } ?? ""
        Console.error("vigil: rendered \(environments) environment\(environments == 1 ? "" : "s")\(shard), \(state.files) files")
    }
}

/// What the concurrent per-environment callbacks of a render share: the drift found, the files
/// counted, and whether any environment failed (after which nothing more is staged).
final class RenderState: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var drift: [OutputWriter.Drift] = []
    private(set) var files = 0
    private var anyFailure = false

    func add(_ drift: [OutputWriter.Drift]) {
        lock.lock()
        self.drift += drift
        lock.unlock()
    }

    func count(files count: Int) {
        lock.lock()
        files += count
        lock.unlock()
    }

    /// Records an environment's diagnostics; true once any environment has failed.
    func failed(strict: Bool, _ diagnostics: Diagnostics) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if diagnostics.hasErrors || (strict && diagnostics.warningCount > 0) { anyFailure = true }
        return anyFailure
    }
}
