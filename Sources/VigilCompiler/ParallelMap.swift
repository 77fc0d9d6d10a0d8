import Dispatch

/// Runs `transform` over the elements on every core and returns the results in input order, so
/// the outcome never depends on thread count or scheduling.
func parallelMap<Element: Sendable, Result: Sendable>(
    _ elements: [Element], _ transform: @Sendable (Element) -> Result
) -> [Result] {
    guard elements.count > 1 else { return elements.map(transform) }
    let slots = UnsafeMutableBufferPointer<Result?>.allocate(capacity: elements.count)
    slots.initialize(repeating: nil)
    defer { slots.deallocate() }
    nonisolated(unsafe) let shared = slots
    DispatchQueue.concurrentPerform(iterations: elements.count) { index in
        // Each iteration writes only its own slot.
        shared[index] = transform(elements[index])
    }
    return slots.map { $0! }
}
