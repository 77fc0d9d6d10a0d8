import ArgumentParser
import Foundation
import VigilCompiler

/// `--shard i/n` of `render` and `check`, and the progress line they draw on a terminal.
struct ShardOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only the environments of shard i of n (a stable partition by name, for a CI matrix); a full run prunes only this shard's folders.",
            valueName: "i/n"))
    var shard: String?

    func validate() throws {
        if let shard, Shard(parsing: shard) == nil {
            throw ValidationError("--shard takes i/n with 1 ≤ i ≤ n, e.g. --shard 2/8; got '\(shard)'")
        }
    }

    /// The parsed shard.
    var value: Shard? { shard.flatMap(Shard.init(parsing:)) }

    /// Sets the shard and, on a terminal, a progress line on the compiler options.
    func apply(to options: inout Compiler.Options) {
        options.shard = value
        if Console.isTerminal {
            options.progress = { done, total in Console.progress("rendered \(done)/\(total) environments") }
        }
    }
}
