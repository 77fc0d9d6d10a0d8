import ArgumentParser
import Foundation
import VigilCompiler
import VigilModel

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the policy rules, or explain one.",
        discussion: """
            Examples:
              vigil rules
              vigil rules policy/required-signals
              vigil rules --markdown docs/rules     (writes docs/rules/<category>/<name>.md)
            """)

    @Argument(help: "A rule id, e.g. policy/required-signals.")
    var id: String?

    @Option(name: .long, help: ArgumentHelp("Write one markdown page per rule into this folder.", valueName: "dir"))
    var markdown: String?

    func run() throws {
        if let markdown {
            let folder = URL(fileURLWithPath: markdown, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            for (path, text) in RuleDocs.pages() {
                let url = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            return
        }
        if let id {
            guard let descriptor = PolicyRegistry.descriptor(id) else {
                Console.error("vigil rules: error: no rule '\(id)'")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            print(RuleDocs.page(descriptor), terminator: "")
            return
        }
        for descriptor in PolicyRegistry.descriptors {
            print("\(descriptor.id.rawValue)  [\(descriptor.defaultSeverity.rawValue)]  \(descriptor.summary)")
        }
    }
}
