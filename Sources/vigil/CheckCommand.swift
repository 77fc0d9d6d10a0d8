import ArgumentParser
import Foundation
import VigilCompiler
import VigilModel

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every environment against the policy rules: the merge gate.",
        discussion: """
            Loads, merges and renders in memory (so render errors surface too), then runs every \
            policy rule: required signals covered, alerts owned and routed, paging in production, \
            log tables collected, windows, secrets, waivers. Exit 1 on any error (or warning with \
            --strict). Writes nothing.

            Examples:
              vigil check --root examples
              vigil check --root examples --env acme-prod
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Report format: \(Reporters.identifiers.joined(separator: ", ")). Text goes to stderr, the others to stdout.", valueName: "format"))
    var format: String = "text"

    @Option(name: .long, help: ArgumentHelp("Check this environment as if it were promoted (with --to).", valueName: "env"))
    var promote: String?

    @Option(name: .customLong("to"), help: ArgumentHelp("The stage --promote evaluates at: dev, staging or production.", valueName: "stage"))
    var toStage: String?

    @Flag(name: .long, help: "List the waivers of vigil.yaml with their status, and exit.")
    var waivers = false

    @OptionGroup var sharding: ShardOptions

    func validate() throws {
        if (promote == nil) != (toStage == nil) { throw ValidationError("--promote and --to go together") }
        if let toStage, Stage(rawValue: toStage) == nil {
            throw ValidationError("unknown stage '\(toStage)'; expected dev, staging or production")
        }
        guard Reporters.reporter(named: format) != nil else {
            throw ValidationError("unknown format '\(format)'; expected one of: \(Reporters.identifiers.joined(separator: ", "))")
        }
    }

    func run() throws {
        let root = try global.existingRoot(command: "check")
        var options = Compiler.Options(
            root: root, environments: promote.map { [$0] } ?? global.environments, order: DebugSettings.discoveryOrder,
            logger: global.logger)
        if let promote, let stage = toStage.flatMap(Stage.init(rawValue:)) { options.promotions = [promote: stage] }
        sharding.apply(to: &options)
        // The policy reads resolved models; the renderers run for their errors, no bytes are made.
        options.files = false
        let compiler = Compiler()
        let engine = PolicyEngine(today: DebugSettings.today)
        var result: Compiler.Result
        var diagnostics: Diagnostics
        do {
            if waivers {
                result = try compiler.compile(options)
                Console.endProgress()
                let list = engine.waiverReport(result)
                print(list.isEmpty ? "no waivers" : list, terminator: list.isEmpty ? "\n" : "")
                return
            }
            // Each environment is checked as soon as it is resolved and rendered, then dropped.
            let inputs = try compiler.load(options)
            let plan = engine.plan(inputs.specs)
            result = try compiler.compile(inputs, options: options) { environment in
                guard let resolved = environment.resolved, !environment.diagnostics.hasErrors else { return [] }
                return plan.check(resolved).all
            }
            Console.endProgress()
            diagnostics = result.diagnostics
            if !inputs.diagnostics.hasErrors, let specs = inputs.specs {
                diagnostics.append(contentsOf: plan.diagnostics)
                diagnostics.append(contentsOf: plan.scan(specs))
            }
            diagnostics = PolicyPlan.unique(diagnostics)
        } catch {
            Console.error("vigil: error: cannot read the root: \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
        if format == "text" {
            Console.report(diagnostics, sources: result.sources)
        } else if let reporter = Reporters.reporter(named: format) {
            print(reporter.report(diagnostics.all), terminator: "")
        }
        if diagnostics.hasErrors || (global.strict && diagnostics.warningCount > 0) {
            throw ExitCode(ExitStatus.findings.rawValue)
        }
        if let promote, let toStage {
            Console.error("vigil: \(promote) meets the policy of \(toStage)")
        } else {
            Console.error("vigil: \(result.environmentCount) environment\(result.environmentCount == 1 ? "" : "s") pass the policy")
        }
    }
}
