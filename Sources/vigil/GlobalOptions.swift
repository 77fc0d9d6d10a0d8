import ArgumentParser
import Foundation

/// Flags every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The root folder: vigil.yaml, environments/, baselines/, overlays/, templates/.", valueName: "dir"))
    var root: String = "."

    @Option(name: .customLong("env"), help: ArgumentHelp("Only this environment (repeatable).", valueName: "name"))
    var environments: [String] = []

    @Flag(name: .long, help: "Treat warnings as errors.")
    var strict = false

    var rootURL: URL {
        URL(fileURLWithPath: root, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
    }
}
