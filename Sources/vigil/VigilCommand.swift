import ArgumentParser
import VigilCompiler

@main
struct VigilCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Monitoring as code for Odoo hosting on Azure: compile baselines, overlays and environments into Azure Monitor and Kubernetes artifacts.",
        discussion: """
            Examples:
              vigil render --root examples            render every environment into examples/out
              vigil render --root examples --check    fail when examples/out is stale
              vigil render --env acme-prod            render one environment, leave the others alone

            Exit status: 0 success, 1 input errors or drift, 64 usage error, 70 internal error.
            """,
        version: Compiler.version,
        subcommands: [RenderCommand.self, CheckCommand.self, DiffCommand.self, ExplainCommand.self, RulesCommand.self])
}
