import Crypto
import Foundation
import VigilModel

/// Writes canonical JSON (the bytes of ``CanonicalJSONWriter``) straight from the caller's
/// fields, without building a tree: the caller names each object's members in key order (by
/// UTF-8 bytes, which debug builds check), and optional members that are nil are left out, as
/// in ``CanonicalValue/fields(_:)``. Given a hasher, full chunks go into it as they are written,
/// so a large model is never held whole.
///
/// Stage: render. Used for the model digest (``ModelEncoder``).
struct ModelWriter {
    /// The bytes not yet handed to the hasher (all of them without one).
    private(set) var out: [UInt8] = []
    private var hasher: SHA256?
    private var indent = 0
    /// Per open container: whether it is an array, and how many members it holds so far.
    private var frames: [(isArray: Bool, count: Int)] = []
    #if DEBUG
    private var lastKeys: [String?] = []
    #endif

    private static let chunk = 64 * 1024

    /// A writer that keeps every byte, or hashes them as it goes.
    init(hashing: Bool) {
        out.reserveCapacity(hashing ? Self.chunk + 4096 : 16 * 1024)
        if hashing { hasher = SHA256() }
    }

    /// Ends the document (one trailing newline) and returns the SHA-256 of every byte, in hex.
    mutating func finishDigest() -> String {
        out.append(0x0A)
        precondition(hasher != nil, "finishDigest needs a hashing writer")
        hasher!.update(data: out)
        out.removeAll()
        return Compiler.hex(hasher!.finalize())
    }

    /// Ends the document (one trailing newline) and returns its bytes.
    mutating func finishBytes() -> [UInt8] {
        out.append(0x0A)
        return out
    }

    // MARK: Containers

    /// An object, its members written by `body` in key order.
    mutating func object(_ body: (inout ModelWriter) -> Void) {
        open(0x7B, isArray: false)
        body(&self)
        close(0x7D)
    }

    /// An array, one element per item, each written by `each`.
    mutating func array<S: Sequence>(_ items: S, _ each: (inout ModelWriter, S.Element) -> Void) {
        open(0x5B, isArray: true)
        for item in items { each(&self, item) }
        close(0x5D)
    }

    private mutating func open(_ bracket: UInt8, isArray: Bool) {
        element()
        out.append(bracket)
        frames.append((isArray, 0))
        #if DEBUG
        lastKeys.append(nil)
        #endif
        indent += 2
    }

    private mutating func close(_ bracket: UInt8) {
        indent -= 2
        let frame = frames.removeLast()
        #if DEBUG
        lastKeys.removeLast()
        #endif
        if frame.count > 0 {
            out.append(0x0A)
            CanonicalBytes.pad(indent, &out)
        }
        out.append(bracket)
        flushIfFull()
    }

    /// Before a value: in an array, the separator and indentation of a new element.
    @inline(__always)
    private mutating func element() {
        guard let last = frames.last, last.isArray else { return }
        separate()
    }

    @inline(__always)
    private mutating func separate() {
        out.append(frames[frames.count - 1].count > 0 ? 0x2C : 0x0A)
        if frames[frames.count - 1].count > 0 { out.append(0x0A) }
        frames[frames.count - 1].count += 1
        CanonicalBytes.pad(indent, &out)
    }

    /// The next member's key (the caller writes its value next).
    mutating func key(_ key: String) {
        #if DEBUG
        if let previous = lastKeys[lastKeys.count - 1] {
            assert(CanonicalBytes.precedes(previous, key), "model keys out of order: '\(previous)' before '\(key)'")
        }
        lastKeys[lastKeys.count - 1] = key
        #endif
        separate()
        CanonicalJSONWriter.appendString(key, to: &out)
        out.append(0x3A)
        out.append(0x20)
    }

    private mutating func flushIfFull() {
        guard out.count >= Self.chunk, hasher != nil else { return }
        hasher!.update(data: out)
        out.removeAll(keepingCapacity: true)
    }

    // MARK: Scalars

    mutating func string(_ value: String) {
        element()
        CanonicalJSONWriter.appendString(value, to: &out)
    }

    mutating func int(_ value: Int) {
        element()
        CanonicalBytes.append(value, to: &out)
    }

    mutating func decimal(_ value: Decimal) {
        element()
        out.append(contentsOf: CanonicalValue.format(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        element()
        out.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
    }

    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)

    // MARK: Members

    mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    mutating func field(_ name: String, _ value: String?) {
        if let value { field(name, value) }
    }

    mutating func field(_ name: String, _ value: Int) {
        key(name)
        int(value)
    }

    mutating func field(_ name: String, _ value: Int?) {
        if let value { field(name, value) }
    }

    mutating func field(_ name: String, _ value: Decimal) {
        key(name)
        decimal(value)
    }

    mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func field(_ name: String, _ value: Bool?) {
        if let value { field(name, value) }
    }

    /// A duration in seconds.
    mutating func field(_ name: String, _ value: VigilModel.Duration?) {
        if let value { field(name, value.seconds) }
    }

    /// An array of strings, in their order.
    mutating func field(_ name: String, strings: [String]) {
        key(name)
        array(strings) { $0.string($1) }
    }

    /// A string map, as an object in key order.
    mutating func field(_ name: String, map: [String: String]) {
        key(name)
        object { w in
            for key in map.keys.sorted(by: CanonicalBytes.precedes) { w.field(key, map[key]!) }
        }
    }

    /// An object member.
    mutating func field(_ name: String, object body: (inout ModelWriter) -> Void) {
        key(name)
        object(body)
    }

    /// An array member.
    mutating func field<S: Sequence>(_ name: String, array items: S, _ each: (inout ModelWriter, S.Element) -> Void) {
        key(name)
        array(items, each)
    }

    /// An array of objects, each written by `body`.
    mutating func field<S: Sequence>(_ name: String, objects items: S, _ body: (inout ModelWriter, S.Element) -> Void) {
        key(name)
        array(items) { w, item in w.object { body(&$0, item) } }
    }
}
