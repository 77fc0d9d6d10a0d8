import Foundation

/// The resources of an ARM template as Vigil writes it (canonical JSON: two-space indent, one
/// resource per element of the top-level `resources` array), found by their bytes, so that a
/// diff parses only the resources whose bytes differ between the sides.
///
/// Stage: diff. A resource is an element that opens with a line of exactly four spaces and `{`
/// and closes with the next line of exactly four spaces and `}`: in canonical JSON, deeper lines
/// are indented further and strings hold no raw newline. Any other layout (a hand-edited file, an
/// empty array) is not split, and the caller parses the whole file.
struct TemplateFragments {
    /// Each resource's bytes, from its `{` to its `}`.
    var resources: [Range<Int>]
    /// Where the `[` of `resources` ends and where the text after the array's `]` starts.
    var arrayOpen: Int
    var arrayClose: Int

    private static let open = Array("\n  \"resources\": [\n".utf8)
    private static let close = Array("\n  ]".utf8)

    /// Splits a template; nil when it is not laid out as Vigil writes it.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let marker = Self.find(Self.open, in: bytes, from: 0) else { return nil }
        arrayOpen = marker + Self.open.count - 1  // just past `[`
        resources = []
        var position = arrayOpen + 1
        while true {
            // `    {` and a newline.
            guard position + 6 <= bytes.count, bytes[position] == 0x20, bytes[position + 1] == 0x20, bytes[position + 2] == 0x20,
                bytes[position + 3] == 0x20, bytes[position + 4] == 0x7B, bytes[position + 5] == 0x0A
            else { return nil }
            let start = position + 4
            var end = start + 1
            // The next line that is exactly four spaces and `}`.
            while true {
                guard let newline = Self.find([0x0A, 0x20, 0x20, 0x20, 0x20, 0x7D], in: bytes, from: end) else { return nil }
                end = newline + 6
                guard end < bytes.count else { return nil }
                if bytes[end] == 0x2C || bytes[end] == 0x0A { break }
            }
            resources.append(start..<end)
            if bytes[end] == 0x2C {
                guard end + 1 < bytes.count, bytes[end + 1] == 0x0A else { return nil }
                position = end + 2
                continue
            }
            // The array's `]`.
            guard Self.matches(Self.close, in: bytes, at: end) else { return nil }
            arrayClose = end + Self.close.count
            return
        }
    }

    /// The template without its resources (`"resources": []`), parsed.
    func rest(of bytes: UnsafeBufferPointer<UInt8>) throws -> CanonicalValue {
        var text = Array(bytes[0..<arrayOpen])
        text.append(0x5D)
        text.append(contentsOf: bytes[arrayClose...])
        return try text.withUnsafeBufferPointer { try ArtifactReader.json($0) }
    }

    /// Both sides' templates with every resource left out whose bytes the other side has at the
    /// same place in its (sorted) list, for ``ResourceUnits/extract(path:values:)``: a resource
    /// left out is equal on both sides, so it can hold no change. Resources are paired by their
    /// `type` and `name` (``keys(of:)``) when both lists are sorted by them, as Vigil writes them,
    /// so any number of added or removed resources stays aligned; otherwise they are aligned in
    /// order, allowing one added or removed resource at a time, and a misaligned pair is simply
    /// parsed on both sides. Nil when either side is not laid out as Vigil writes templates, or a
    /// part does not parse (the caller then parses the whole files and reports any error).
    static func pruned(base: Data, head: Data) -> (base: CanonicalValue, head: CanonicalValue)? {
        base.withUnsafeBytes { rawBase in
            head.withUnsafeBytes { rawHead in
                let b = rawBase.bindMemory(to: UInt8.self), h = rawHead.bindMemory(to: UInt8.self)
                guard let old = TemplateFragments(b), let new = TemplateFragments(h) else { return nil }
                func equal(_ i: Int, _ j: Int) -> Bool {
                    let x = old.resources[i], y = new.resources[j]
                    return x.count == y.count && memcmp(b.baseAddress! + x.lowerBound, h.baseAddress! + y.lowerBound, x.count) == 0
                }
                var keptOld: [Int] = [], keptNew: [Int] = []
                var i = 0, j = 0
                if let oldKeys = old.keys(of: b), let newKeys = new.keys(of: h) {
                    while i < oldKeys.count && j < newKeys.count {
                        if oldKeys[i] == newKeys[j] {
                            if !equal(i, j) {
                                keptOld.append(i)
                                keptNew.append(j)
                            }
                            i += 1
                            j += 1
                        } else if oldKeys[i].lexicographicallyPrecedes(newKeys[j]) {
                            keptOld.append(i)
                            i += 1
                        } else {
                            keptNew.append(j)
                            j += 1
                        }
                    }
                }
                while i < old.resources.count && j < new.resources.count {
                    if equal(i, j) {
                        i += 1
                        j += 1
                    } else if i + 1 < old.resources.count && equal(i + 1, j) {
                        keptOld.append(i)
                        i += 1
                    } else if j + 1 < new.resources.count && equal(i, j + 1) {
                        keptNew.append(j)
                        j += 1
                    } else {
                        keptOld.append(i)
                        keptNew.append(j)
                        i += 1
                        j += 1
                    }
                }
                keptOld += Array(i..<old.resources.count)
                keptNew += Array(j..<new.resources.count)
                func tree(_ fragments: TemplateFragments, _ bytes: UnsafeBufferPointer<UInt8>, _ kept: [Int]) -> CanonicalValue? {
                    guard case .object(var root)? = try? fragments.rest(of: bytes) else { return nil }
                    var resources: [CanonicalValue] = []
                    resources.reserveCapacity(kept.count)
                    for index in kept {
                        let range = fragments.resources[index]
                        guard let value = try? ArtifactReader.json(UnsafeBufferPointer(rebasing: bytes[range])) else { return nil }
                        resources.append(value)
                    }
                    root["resources"] = .array(resources)
                    return .object(root)
                }
                guard let baseTree = tree(old, b, keptOld), let headTree = tree(new, h, keptNew) else { return nil }
                return (baseTree, headTree)
            }
        }
    }

    /// Each resource's `type`, a NUL and its `name` — its own members, on lines at the
    /// resource's indentation — or nil when a resource lacks either, either holds an escape, or
    /// the keys are not strictly increasing (the order Vigil writes resources in).
    func keys(of bytes: UnsafeBufferPointer<UInt8>) -> [[UInt8]]? {
        func member(_ marker: [UInt8], in range: Range<Int>) -> [UInt8]? {
            guard let start = Self.find(marker, in: UnsafeBufferPointer(rebasing: bytes[range]), from: 0) else { return nil }
            var end = range.lowerBound + start + marker.count
            let first = end
            while end < range.upperBound, bytes[end] != 0x22 {
                if bytes[end] == 0x5C || bytes[end] == 0x0A { return nil }
                end += 1
            }
            guard end < range.upperBound else { return nil }
            return Array(bytes[first..<end])
        }
        var keys: [[UInt8]] = []
        keys.reserveCapacity(resources.count)
        for range in resources {
            guard let type = member(Self.typeMember, in: range), let name = member(Self.nameMember, in: range) else { return nil }
            let key = type + [0] + name
            if let last = keys.last, !last.lexicographicallyPrecedes(key) { return nil }
            keys.append(key)
        }
        return keys
    }

    private static let typeMember = Array("\n      \"type\": \"".utf8)
    private static let nameMember = Array("\n      \"name\": \"".utf8)

    private static func matches(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        needle.withUnsafeBufferPointer { CanonicalBytes.matches($0, in: bytes, at: offset) }
    }

    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        needle.withUnsafeBufferPointer { CanonicalBytes.find($0, in: bytes, from: from) }
    }
}
