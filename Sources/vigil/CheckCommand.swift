import ArgumentParser
import Foundation
import VigilCompiler
import VigilModel

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every environment against the policy rules: the merge gate.",
        discussion: """
            Loads, merges and renders in memory (so render errors surface too), then runs every \\
            policy rule: required signals covered, alerts owned and routed, paging in production, \\
            log tables collected, windows, secrets, waivers. Exit 1 on any error (or warning with \\
            --strict). Writes nothing.

            Examples:
              vigil check --root examples
              vigil check --root examples --env acme-prod
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Report format: \(Reporters.identifiers.joined(separator: ", ")). Text goes to stderr, the others to stdout.", valueName: "format"))
    var format: String = "text"

    func validate() throws {
        guard Reporters.reporter(named: format) != nil else {
            throw ValidationError("unknown format '\(format)'; expected one of: \(Reporters.identifiers.joined(separator: ", "))")
        }
    }

    func run() throws {
        let root = global.rootURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            Console.error("vigil check: error: root folder '\(global.root)' does not exist")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let result: Compiler.Result
        do {
            result = try Compiler().compile(
                Compiler.Options(root: root, environments: global.environments, order: DebugSettings.discoveryOrder, logger: global.logger))
        } catch {
            Console.error("vigil: error: cannot read the root: \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
        var diagnostics = result.diagnostics
        if !diagnostics.hasErrors {
            diagnostics.append(contentsOf: PolicyEngine(today: DebugSettings.today).check(result))
        }
        if format == "text" {
            Console.report(diagnostics)
        } else if let reporter = Reporters.reporter(named: format) {
            print(reporter.report(diagnostics.all), terminator: "")
        }
        if diagnostics.hasErrors || (global.strict && diagnostics.warningCount > 0) {
            throw ExitCode(ExitStatus.findings.rawValue)
        }
        Console.error("vigil: \(result.environments.count) environment\(result.environments.count == 1 ? "" : "s") pass the policy")
    }
}
