public import Kube
public import Admission
import FoundationEssentials

/// The `mlops.dev/trigger-status` annotation: the progress of one run of a job's triggers (SPEC §1.3).
///
/// Encoded as compact JSON, members in this order:
/// `{"run":…,"started":…,"message":…,"triggers":[{"target":…,"action":…,"state":…,"attempts":…,"at":…,"message":…}]}`.
/// `started`, `at` and both `message`s are omitted when empty.
public struct TriggerStatus: Sendable, Hashable {
    /// Where one trigger stands.
    public enum State: String, Sendable, Hashable, Codable {
        /// Not finished: recorded before each attempt, so a crash leaves it here and the attempt is repeated.
        case Pending
        /// Done; never repeated in this run.
        case Succeeded
        /// Given up (a permanent error, a refused consent, or the deadline); never repeated in this run.
        case Failed

        /// Whether the trigger is finished for this run.
        public var isFinal: Bool { self != .Pending }
    }

    /// One trigger of the run.
    public struct Entry: Sendable, Hashable {
        /// `<apiVersion>/<kind>/<namespace>/<name>` of the target.
        public var target: String
        /// The action.
        public var action: TriggerAction
        /// Where it stands.
        public var state: State
        /// Attempts recorded so far (each is recorded before it is made).
        public var attempts: Int
        /// The time recorded before the first attempt: the `restartedAt` or `refreshed-at` value written, and the start of the retry deadline.
        public var at: String?
        /// The last outcome, for people.
        public var message: String?

        /// Creates an entry.
        public init(target: String, action: TriggerAction, state: State = .Pending, attempts: Int = 0, at: String? = nil, message: String? = nil) {
            self.target = target
            self.action = action
            self.state = state
            self.attempts = attempts
            self.at = at
            self.message = message
        }
    }

    /// The run key: `status.completionTime`, or the time the success was first observed.
    public var run: String
    /// When the run started; an InferenceService restart evicts only pods created before it.
    public var started: String?
    /// A problem with the whole run, such as an unreadable trigger annotation.
    public var message: String?
    /// The triggers, in the order of the annotation.
    public var triggers: [Entry]

    /// Creates a status.
    public init(run: String, started: String?, message: String? = nil, triggers: [Entry]) {
        self.run = run
        self.started = started
        self.message = message
        self.triggers = triggers
    }

    /// Decodes the annotation's value; `nil` when it is absent or not ours to read.
    public init?(annotation: String?) {
        guard let annotation, let decoded = try? JSONDecoder().decode(Wire.self, from: Data(annotation.utf8)) else { return nil }
        run = decoded.run
        started = decoded.started
        message = decoded.message
        triggers = decoded.triggers.map {
            Entry(target: $0.target, action: $0.action, state: $0.state, attempts: $0.attempts, at: $0.at, message: $0.message)
        }
    }

    /// The compact JSON value of the annotation.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("run", .string(run))]
        if let started { members.append(("started", .string(started))) }
        if let message { members.append(("message", .string(message))) }
        members.append(("triggers", .array(triggers.map(\.json))))
        return .object(members)
    }

    /// The annotation's value.
    public var annotation: String { json.description }

    /// Whether every trigger of the run is finished.
    public var isFinished: Bool { triggers.allSatisfy { $0.state.isFinal } }

    private struct Wire: Decodable {
        struct Item: Decodable {
            var target: String
            var action: TriggerAction
            var state: State
            var attempts: Int
            var at: String?
            var message: String?
        }
        var run: String
        var started: String?
        var message: String?
        var triggers: [Item]
    }
}

extension TriggerStatus.Entry {
    /// The entry as a JSON object.
    var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("target", .string(target)), ("action", .string(action.rawValue)), ("state", .string(state.rawValue)),
            ("attempts", .int(attempts)),
        ]
        if let at { members.append(("at", .string(at))) }
        if let message { members.append(("message", .string(message))) }
        return .object(members)
    }
}
