import Crypto
import Foundation

/// One part of a stable partition of the environments, for rendering a fleet on a CI matrix
/// (`--shard i/n`).
///
/// An environment belongs to shard `1 + (h mod n)`, where `h` is the first 8 bytes of the SHA-256
/// of its name: the same on every machine and run, and independent of the other environments, so
/// adding or removing one never moves another to a different shard.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// The 1-based index.
    public var index: Int
    /// How many shards there are.
    public var count: Int

    /// A shard; nil unless `1 ≤ index ≤ count`.
    public init?(index: Int, count: Int) {
        guard count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `i/n`, e.g. `2/8`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// The shard (1-based) an environment belongs to among `count`.
    public static func index(of environment: String, count: Int) -> Int {
        let digest = Array(SHA256.hash(data: Data(environment.utf8)))
        let prefix = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int(prefix % UInt64(count)) + 1
    }

    /// Whether an environment belongs to this shard.
    public func contains(_ environment: String) -> Bool {
        Self.index(of: environment, count: count) == index
    }
}
