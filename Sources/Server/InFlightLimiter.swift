import Synchronization

/// Bounds the admission requests being worked on at once; past the bound, requests are turned away with 429.
final class InFlightLimiter: Sendable {
    private let count = Atomic<Int>(0)
    /// The most requests at once.
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot and returns the new count, or `nil` when all are taken.
    func enter() -> Int? {
        let now = count.add(1, ordering: .acquiringAndReleasing).newValue
        guard now <= limit else {
            count.subtract(1, ordering: .acquiringAndReleasing)
            return nil
        }
        return now
    }

    /// Gives back a slot and returns the new count.
    func leave() -> Int {
        count.subtract(1, ordering: .acquiringAndReleasing).newValue
    }
}
