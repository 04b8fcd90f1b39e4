import Synchronization

/// The most connections open at once on one port (`--max-connections` for admission), shared by all its listeners.
///
/// At the limit, the accept loop still accepts, so that the kernel's queue never fills with connections nobody will
/// serve, but closes each new connection at once; the connections already open are served as before, and new ones are
/// kept again as soon as one of them ends.
final class ConnectionLimit: Sendable {
    /// The most connections at once.
    let maximum: Int
    private let open = Atomic<Int>(0)
    private let saturated = Atomic<Bool>(false)
    private let counted: @Sendable (Int) -> Void
    private let refused: @Sendable (_ first: Bool) -> Void

    /// - Parameters:
    ///   - maximum: The most connections at once; at least 1.
    ///   - counted: Called with the number open after each change.
    ///   - refused: Called for each connection closed at the limit; `first` is true for the first one since the
    ///     count was last below the limit.
    init(maximum: Int, counted: @escaping @Sendable (Int) -> Void = { _ in }, refused: @escaping @Sendable (_ first: Bool) -> Void = { _ in }) {
        self.maximum = maximum
        self.counted = counted
        self.refused = refused
    }

    /// Takes a place for a new connection; `false`, with nothing taken, when all are taken.
    func admit() -> Bool {
        let now = open.add(1, ordering: .acquiringAndReleasing).newValue
        guard now <= maximum else {
            open.subtract(1, ordering: .acquiringAndReleasing)
            refused(!saturated.exchange(true, ordering: .acquiringAndReleasing))
            return false
        }
        counted(now)
        return true
    }

    /// Gives back the place of a connection that ended.
    func release() {
        let now = open.subtract(1, ordering: .acquiringAndReleasing).newValue
        if now < maximum { saturated.store(false, ordering: .releasing) }
        counted(now)
    }
}
