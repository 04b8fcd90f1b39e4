import Locking

/// Remembers what recent trigger annotation values were found to hold, so that a value checked again is not parsed
/// again.
///
/// The same value reaches `/validate` over and over: `kubectl apply --dry-run=server` and then `kubectl apply`, every
/// ArgoCD diff and sync, the API server's second call for one request, and every UPDATE that leaves the annotation as
/// it was, triggergate's own patches of the wave and status keys among them. Checking a value is a pure function of the
/// value and its job, so a remembered answer is exactly what a new parse would find.
///
/// Bounded: values larger than ``Trigger/maxAnnotationBytes`` are refused before any parse and are not kept, and at
/// most `capacity` values are, in two generations. When the newer generation is full, the older one is dropped, so a
/// value checked again within the last `capacity / 2` distinct values is always remembered. One lock guards both
/// generations; it is held for a lookup or an insert by a hash computed beforehand, never for a parse.
public final class TriggerCheckMemo: Sendable {
    /// A value and its job, with the hash of both computed once, outside the lock.
    private struct Key: Hashable {
        let value: String
        let owner: TriggerOwner
        let hash: Int

        init(value: String, owner: TriggerOwner) {
            self.value = value
            self.owner = owner
            var hasher = Hasher()
            hasher.combine(value)
            hasher.combine(owner)
            hash = hasher.finalize()
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(hash)
        }

        static func == (a: Key, b: Key) -> Bool {
            a.hash == b.hash && a.value == b.value && a.owner == b.owner
        }
    }

    private struct Generations {
        var newer: [Key: TriggerListCheck] = [:]
        var older: [Key: TriggerListCheck] = [:]

        /// The remembered check of `key`; a value found only in the older generation moves to the newer one.
        mutating func lookUp(_ key: Key, limit: Int) -> TriggerListCheck? {
            if let check = newer[key] { return check }
            guard let check = older.removeValue(forKey: key) else { return nil }
            insert(check, for: key, limit: limit)
            return check
        }

        mutating func insert(_ check: TriggerListCheck, for key: Key, limit: Int) {
            if newer.count >= limit {
                older = newer
                newer = Dictionary(minimumCapacity: limit)
            }
            newer[key] = check
        }
    }

    private let generations = Locked(Generations())
    /// The most values one generation holds.
    private let limit: Int

    /// Creates an empty memo.
    /// - Parameter capacity: the most values remembered (at least 2); 128 values of at most 8 KiB each is 1 MiB.
    public init(capacity: Int = 128) {
        limit = max(1, capacity / 2)
    }

    /// The check of the trigger annotation `value` of the job `owner`: remembered, or made now by
    /// ``Trigger/check(_:owner:)`` and then remembered.
    public func check(_ value: String, owner: TriggerOwner) -> TriggerListCheck {
        guard value.utf8.count <= Trigger.maxAnnotationBytes else { return Trigger.check(value, owner: owner) }
        let key = Key(value: value, owner: owner)
        if let known = generations.withLock({ $0.lookUp(key, limit: limit) }) { return known }
        let found = Trigger.check(value, owner: owner)
        generations.withLock { $0.insert(found, for: key, limit: limit) }
        return found
    }

    /// Whether the answer for `value` and `owner` is remembered now.
    func remembers(_ value: String, owner: TriggerOwner) -> Bool {
        let key = Key(value: value, owner: owner)
        return generations.withLock { $0.newer[key] != nil || $0.older[key] != nil }
    }
}
