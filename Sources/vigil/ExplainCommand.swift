import ArgumentParser
import Foundation
import VigilCompiler
import VigilModel

/// The output formats of `vigil explain`.
enum ExplainFormat: String, CaseIterable, ExpressibleByArgument {
    /// Lines for people.
    case text
    /// Canonical JSON, schema in docs/explain-schema.md.
    case json
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show where every value of an environment's items came from.",
        discussion: """
            Without ITEM: every item of the environment with the file that defined it and the \
            files that changed it, then every overridden value with the chain of values it \
            replaced, then the removed items. With ITEM (an id, or collection/id): each field \
            with the file:line:col that set it and the values it overrode. Every location names \
            its layer: baseline, overlay, environment, template or other.

            --format json prints the same as canonical JSON (schema: docs/explain-schema.md).

            Examples:
              vigil explain --root examples acme-prod
              vigil explain --root examples acme-prod postgresql-cpu-high
              vigil explain --root examples acme-prod postgresql-cpu-high --format json
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The environment.")
    var environment: String

    @Argument(help: "An item id, e.g. postgresql-cpu-high or retention/ContainerLogV2.")
    var item: String?

    @Option(help: "Output format: text or json.")
    var format: ExplainFormat = .text

    func run() throws {
        let root = try global.existingRoot(command: "explain")
        let result: Compiler.Result
        do {
            result = try Compiler().compile(
                Compiler.Options(root: root, environments: [environment], order: DebugSettings.discoveryOrder, logger: global.logger))
        } catch {
            Console.error("vigil: error: cannot read the root: \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
        guard let resolved = result.environments.first else {
            Console.report(result.diagnostics, sources: result.sources)
            throw ExitCode(ExitStatus.findings.rawValue)
        }
        let output: String?
        switch format {
        case .text: output = Explainer.text(resolved, item: item)
        case .json: output = Explainer.json(resolved, item: item).map { String(decoding: CanonicalJSONWriter().write($0), as: UTF8.self) }
        }
        guard let output else {
            Console.error("vigil explain: error: environment '\(environment)' has no item '\(item ?? "")'")
            throw ExitCode(ExitStatus.findings.rawValue)
        }
        print(output, terminator: "")
    }
}
