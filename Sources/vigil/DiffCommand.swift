import ArgumentParser
import Foundation
import VigilCompiler
import VigilModel

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what a change does to the rendered fleet: per environment, resource and field.",
        discussion: """
            Renders the inputs as they are at --base (default HEAD, read from git objects; the \
            working tree and the index are not touched) and as they are in the working tree, in \
            memory, and compares the results resource by resource and field by field. Each \
            changed field names the input line responsible. With --against DIR, compares with a \
            rendered folder instead. Formatting, key order and comments never show as changes.

            Examples:
              vigil diff --root examples                      working tree against HEAD
              vigil diff --root examples --base main --format markdown > comment.md
              vigil diff --root examples --against examples/out --exit-code
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The git revision to compare with (default HEAD).", valueName: "ref"))
    var base: String?

    @Option(name: .long, help: ArgumentHelp("Compare with this rendered folder instead of a revision.", valueName: "dir"))
    var against: String?

    @Option(name: .long, help: ArgumentHelp("Report format: text, markdown or json.", valueName: "format"))
    var format: FormatChoice = .text

    @Flag(name: .long, help: "Exit 1 when anything differs (like git diff --exit-code).")
    var exitCode = false

    @Option(name: .long, help: ArgumentHelp("Colour the text report: auto (on a terminal, unless NO_COLOR is set), always or never.", valueName: "when"))
    var color: ColourChoice = .auto

    enum ColourChoice: String, ExpressibleByArgument {
        case auto, always, never
    }

    enum FormatChoice: String, ExpressibleByArgument {
        case text, markdown, json

        var format: DiffReport.Format {
            switch self {
            case .text: .text
            case .markdown: .markdown
            case .json: .json
            }
        }
    }

    func validate() throws {
        if base != nil && against != nil { throw ValidationError("--base and --against exclude each other") }
    }

    func run() throws {
        let root = try global.existingRoot(command: "diff")
        var baseSide = Compiler.DiffBase.revision(base ?? "HEAD")
        if let against {
            let folder = URL(fileURLWithPath: against, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                Console.error("vigil diff: error: folder '\(against)' does not exist")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            baseSide = .folder(folder, label: against)
        }
        let outcome: Compiler.DiffOutcome
        do {
            outcome = try Compiler().diff(
                root: root, base: baseSide, environments: global.environments, order: DebugSettings.discoveryOrder, logger: global.logger)
        } catch let failure as GitSnapshot.Failure {
            Console.error("vigil diff: error: \(failure)")
            throw ExitCode(ExitStatus.usage.rawValue)
        } catch {
            Console.error("vigil diff: error: \(error)")
            throw ExitCode(ExitStatus.internalError.rawValue)
        }
        switch outcome {
        case .failed(let side, let result):
            Console.error("vigil diff: the inputs of \(side) do not compile:")
            Console.report(result.diagnostics, sources: result.sources)
            throw ExitCode(ExitStatus.findings.rawValue)
        case .diff(let diff):
            let environment = ProcessInfo.processInfo.environment
            let colour = color == .always
                || (color == .auto && isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb")
            print(DiffReport.render(diff, format: format.format, colour: colour), terminator: "")
            if exitCode && !diff.isEmpty { throw ExitCode(ExitStatus.findings.rawValue) }
        }
    }
}
