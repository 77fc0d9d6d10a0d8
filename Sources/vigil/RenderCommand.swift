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
        let result: Compiler.Result
        do {
            var options = Compiler.Options(root: root, environments: global.environments, order: DebugSettings.discoveryOrder, logger: global.logger)
            sharding.apply(to: &options)
            result = try Compiler().compile(options)
            Console.endProgress()
        } catch {
            Console.error("vigil: error: cannot read the root: \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
        Console.report(result.diagnostics, sources: result.sources)
        if result.diagnostics.hasErrors || (global.strict && result.diagnostics.warningCount > 0) {
            throw ExitCode(ExitStatus.findings.rawValue)
        }
        let outURL: URL
        if let out {
            outURL = URL(fileURLWithPath: out, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        } else {
            outURL = result.configuredOutput ?? root.appendingPathComponent("out")
        }
        let writer = OutputWriter(directory: outURL)
        if check {
            let drift: [OutputWriter.Drift]
            do {
                drift = try writer.drift(result.outputs, full: result.isFullRun, shard: result.shard)
            } catch {
                Console.error("vigil: error: cannot read \(outURL.path): \(error)")
                throw ExitCode(ExitStatus.internalError.rawValue)
            }
            if drift.isEmpty {
                Console.error("vigil: \(result.outputs.count) environment\(result.outputs.count == 1 ? "" : "s") up to date")
                return
            }
            for item in drift { Console.error("vigil: stale: \(item)") }
            Console.error("vigil: the output folder is stale; run 'vigil render' and commit the result")
            throw ExitCode(ExitStatus.findings.rawValue)
        }
        do {
            try writer.write(result.outputs, prune: result.isFullRun, shard: result.shard)
        } catch {
            Console.error("vigil: error: cannot write \(outURL.path): \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
        let fileCount = result.outputs.reduce(0) { $0 + $1.files.count }
        let shard = result.shard.map { " (shard \($0))" } ?? ""
        Console.error("vigil: rendered \(result.outputs.count) environment\(result.outputs.count == 1 ? "" : "s")\(shard), \(fileCount) files")
    }
}
