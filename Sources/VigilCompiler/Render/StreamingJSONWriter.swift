import Crypto
import Foundation
import VigilModel

/// Writes canonical JSON (the bytes of ``CanonicalJSONWriter``) straight from the caller's
/// fields, without building a tree: the caller names each object's members in key order (by
/// UTF-8 bytes, which debug builds check), and optional members that are nil are left out, as
/// in ``CanonicalValue/fields(_:)``. Given a hasher, full chunks go into it as they are written,
/// so a large model is never held whole.
///
/// Stage: render. Used for the model digest (``ModelEncoder``) and the ARM alert templates
/// (``ARMTemplateRenderer``), whose resources are written from the model without a tree.
struct StreamingJSONWriter: ~Copyable {
    /// The bytes not yet handed to the hasher (all of them without one).
    private var out: ByteBuffer
    private var hasher: SHA256?
    private var indent = 0
    /// The open container: whether it is an array, and how many members it holds so far (an
    /// enclosing container's are kept on the call stack by ``object(_:)`` and ``array(_:_:)``).
    private var inArray = false
    private var count = 0
    #if DEBUG
    private var lastKey: String?
    #endif

    private static let chunk = 64 * 1024

    /// A writer that keeps every byte, or hashes them as it goes.
    init(hashing: Bool) {
        out = ByteBuffer(capacity: hashing ? Self.chunk + 4096 : 16 * 1024)
        if hashing { hasher = SHA256() }
    }

    /// A writer that keeps every byte, starting with room for `capacity` of them.
    init(capacity: Int) {
        out = ByteBuffer(capacity: capacity)
    }

    /// Ends the document (one trailing newline) and returns its bytes as `Data` (the writer's
    /// block, no copy).
    consuming func finishData() -> Data {
        precondition(hasher == nil, "a hashing writer has handed its bytes to the hasher")
        out.append(0x0A)
        return out.data()
    }

    /// How many bytes are written so far (without a hasher: all of them).
    var byteCount: Int { out.count }

    /// Ends the document (one trailing newline) and returns the SHA-256 of every byte, in hex.
    mutating func finishDigest() -> String {
        out.append(0x0A)
        precondition(hasher != nil, "finishDigest needs a hashing writer")
        out.withBytes { hasher!.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        out.removeAll()
        return Compiler.hex(hasher!.finalize())
    }

    /// Ends the document (one trailing newline) and returns its bytes.
    mutating func finishBytes() -> [UInt8] {
        out.append(0x0A)
        return out.array()
    }

    // MARK: Containers

    /// An object, its members written by `body` in key order.
    mutating func object(_ body: (inout StreamingJSONWriter) -> Void) {
        element()
        out.append(0x7B)
        let saved = enter(isArray: false)
        body(&self)
        leave(saved, 0x7D)
    }

    /// An array, one element per item, each written by `each`.
    mutating func array<S: Sequence>(_ items: S, _ each: (inout StreamingJSONWriter, S.Element) -> Void) {
        element()
        out.append(0x5B)
        let saved = enter(isArray: true)
        for item in items { each(&self, item) }
        leave(saved, 0x5D)
    }

    private struct Saved {
        var inArray: Bool
        var count: Int
        #if DEBUG
        var lastKey: String?
        #endif
    }

    @inline(__always)
    private mutating func enter(isArray: Bool) -> Saved {
        #if DEBUG
        let saved = Saved(inArray: inArray, count: count, lastKey: lastKey)
        lastKey = nil
        #else
        let saved = Saved(inArray: inArray, count: count)
        #endif
        inArray = isArray
        count = 0
        indent += 2
        return saved
    }

    @inline(__always)
    private mutating func leave(_ saved: Saved, _ bracket: UInt8) {
        indent -= 2
        if count > 0 {
            out.append(0x0A)
            CanonicalBytes.pad(indent, &out)
        }
        out.append(bracket)
        inArray = saved.inArray
        count = saved.count
        #if DEBUG
        lastKey = saved.lastKey
        #endif
        flushIfFull()
    }

    /// Before a value: in an array, the separator and indentation of a new element.
    @inline(__always)
    private mutating func element() {
        if inArray { separate() }
    }

    @inline(__always)
    private mutating func separate() {
        if count > 0 {
            out.append(0x2C)
            out.append(0x0A)
        } else {
            out.append(0x0A)
        }
        count += 1
        CanonicalBytes.pad(indent, &out)
    }

    /// The next member's key, a name in the source that needs no escaping (the caller writes its
    /// value next).
    @inline(__always)
    mutating func key(_ key: StaticString) {
        #if DEBUG
        precondition(key.utf8CodeUnitCount > 0 && UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
            .allSatisfy { CanonicalBytes.isPlainASCII(UInt64($0) &* 0x0101_0101_0101_0101) }, "model key '\(key)' needs escaping")
        checkOrder(key.description)
        #endif
        separate()
        out.append(0x22)
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(0x22)
        out.append(0x3A)
        out.append(0x20)
    }

    /// The next member's key, taken from the data (a map's key).
    mutating func key(_ key: String) {
        #if DEBUG
        checkOrder(key)
        #endif
        separate()
        CanonicalJSONWriter.appendString(key, to: &out)
        out.append(0x3A)
        out.append(0x20)
    }

    #if DEBUG
    private mutating func checkOrder(_ key: String) {
        if let lastKey { assert(CanonicalBytes.precedes(lastKey, key), "model keys out of order: '\(lastKey)' before '\(key)'") }
        lastKey = key
    }
    #endif

    private mutating func flushIfFull() {
        guard out.count >= Self.chunk, hasher != nil else { return }
        out.withBytes { hasher!.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        out.removeAll()
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
        out.append(utf8: CanonicalValue.format(value))
    }

    /// Two strings and a `-` between them, as one string (an ARM resource name,
    /// `<environment>-<id>`), without joining them first.
    mutating func string(_ first: String, dash second: String) {
        element()
        out.append(0x22)
        CanonicalJSONWriter.appendUnquoted(first, to: &out)
        out.append(0x2D)
        CanonicalJSONWriter.appendUnquoted(second, to: &out)
        out.append(0x22)
    }

    /// A tree, written as ``CanonicalJSONWriter`` writes it at this position.
    mutating func value(_ value: CanonicalValue) {
        element()
        CanonicalJSONWriter().append(value, indent: indent, to: &out)
    }

    mutating func bool(_ value: Bool) {
        element()
        out.append(contentsOf: value ? CanonicalJSONWriter.trueBytes : CanonicalJSONWriter.falseBytes)
    }

    // MARK: Members

    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        if let value { field(name, value) }
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        int(value)
    }

    mutating func field(_ name: StaticString, _ value: Int?) {
        if let value { field(name, value) }
    }

    mutating func field(_ name: StaticString, _ value: Decimal) {
        key(name)
        decimal(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool?) {
        if let value { field(name, value) }
    }

    /// A duration in seconds.
    mutating func field(_ name: StaticString, _ value: VigilModel.Duration?) {
        if let value { field(name, value.seconds) }
    }

    /// An array of strings, in their order.
    mutating func field(_ name: StaticString, strings: [String]) {
        key(name)
        array(strings) { $0.string($1) }
    }

    /// A string map, as an object in key order.
    mutating func field(_ name: StaticString, map: [String: String]) {
        key(name)
        object { w in
            for (key, value) in map.sorted(by: { CanonicalBytes.precedes($0.key, $1.key) }) {
                w.key(key)
                w.string(value)
            }
        }
    }

    /// An object member.
    mutating func field(_ name: StaticString, object body: (inout StreamingJSONWriter) -> Void) {
        key(name)
        object(body)
    }

    /// An array member.
    mutating func field<S: Sequence>(_ name: StaticString, array items: S, _ each: (inout StreamingJSONWriter, S.Element) -> Void) {
        key(name)
        array(items, each)
    }

    /// An array of objects, each written by `body`.
    mutating func field<S: Sequence>(_ name: StaticString, objects items: S, _ body: (inout StreamingJSONWriter, S.Element) -> Void) {
        key(name)
        array(items) { w, item in w.object { body(&$0, item) } }
    }
}
