/// The members of a ``CanonicalValue/object(_:)``, kept in the canonical key order (UTF-8 bytes),
/// so a writer walks them as they are: no hashing while a renderer builds an object, no sorting
/// when it is written.
///
/// Stage: render. It reads like a `[String: CanonicalValue]` (subscripts, `keys`, `mapValues`,
/// iteration as `(key, value)`), and is built from a dictionary or a dictionary literal. Objects
/// are small (a resource has tens of keys), so a lookup is a binary search and an insertion
/// shifts a few members.
public struct CanonicalObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// One key and its value.
    public struct Member: Sendable, Hashable {
        /// The key.
        public var key: String
        /// The value.
        public var value: CanonicalValue
    }

    /// The members, sorted by key, keys unique.
    public private(set) var members: [Member]

    /// An empty object.
    public init() { members = [] }

    /// The members of a dictionary.
    /// - Parameter dictionary: The dictionary.
    public init(_ dictionary: [String: CanonicalValue]) {
        self.init(distinct: dictionary.map { Member(key: $0.key, value: $0.value) })
    }

    /// Members with distinct keys, in any order.
    init(distinct members: [Member]) {
        self.members = members
        // Small objects (tags, labels) sort faster by insertion.
        if members.count <= 16 {
            Self.insertionSort(&self.members)
        } else {
            self.members.sort { CanonicalBytes.precedes($0.key, $1.key) }
        }
    }

    /// Members given in any order; a later one with the same key replaces an earlier one.
    /// - Parameter unsorted: The members.
    init(unsorted: [Member]) {
        members = unsorted
        // Stable, so the last of equal keys ends last, and it is the one kept.
        Self.insertionSort(&members)
        var index = members.count - 1
        while index > 0 {
            if members[index - 1].key == members[index].key { members.remove(at: index - 1) }
            index -= 1
        }
    }

    public init(dictionaryLiteral elements: (String, CanonicalValue)...) {
        self.init(unsorted: elements.map { Member(key: $0.0, value: $0.1) })
        precondition(members.count == elements.count, "duplicate key in an object literal")
    }

    /// The value of a key; setting nil removes the key.
    public subscript(key: String) -> CanonicalValue? {
        get {
            let (index, found) = position(of: key)
            return found ? members[index].value : nil
        }
        set {
            let (index, found) = position(of: key)
            switch (found, newValue) {
            case (true, let value?): members[index].value = value
            case (true, nil): members.remove(at: index)
            case (false, let value?): members.insert(Member(key: key, value: value), at: index)
            case (false, nil): break
            }
        }
    }

    /// Whether it has no members.
    public var isEmpty: Bool { members.isEmpty }
    /// How many members it has.
    public var count: Int { members.count }
    /// The keys, in canonical order.
    public var keys: [String] { members.map(\.key) }

    /// The same keys with transformed values.
    public func mapValues(_ transform: (CanonicalValue) throws -> CanonicalValue) rethrows -> CanonicalObject {
        var copy = self
        for index in copy.members.indices { copy.members[index].value = try transform(copy.members[index].value) }
        return copy
    }

    /// Walks the members in key order as `(key, value)` pairs.
    public struct Iterator: IteratorProtocol {
        var members: IndexingIterator<[Member]>
        public mutating func next() -> (key: String, value: CanonicalValue)? {
            members.next().map { ($0.key, $0.value) }
        }
    }

    public func makeIterator() -> Iterator { Iterator(members: members.makeIterator()) }

    /// Where a key is, or where it would go.
    private func position(of key: String) -> (index: Int, found: Bool) {
        var low = 0
        var high = members.count
        while low < high {
            let middle = (low + high) / 2
            let candidate = members[middle].key
            if CanonicalBytes.precedes(candidate, key) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return (low, low < members.count && members[low].key == key)
    }

    /// A stable insertion sort: objects are small, and are mostly built in key order already.
    /// Elements are swapped in place in the buffer, so moving them costs no reference counting.
    private static func insertionSort(_ members: inout [Member]) {
        guard members.count > 1 else { return }
        members.withUnsafeMutableBufferPointer { buffer in
            for index in 1..<buffer.count {
                var position = index
                while position > 0 && CanonicalBytes.precedes(buffer[position].key, buffer[position - 1].key) {
                    buffer.swapAt(position, position - 1)
                    position -= 1
                }
            }
        }
    }
}
