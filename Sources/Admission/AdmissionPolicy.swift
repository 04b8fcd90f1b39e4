/// Who may write the annotations that only triggergate owns (SPEC §1.3, §4).
public struct AdmissionPolicy: Sendable {
    /// triggergate's own identity, as the API server reports it in `request.userInfo.username`.
    public var controllerUsername: String
    /// Other identities that may write the controller-owned keys (`--allowed-writer`).
    public var allowedWriters: [String]
    /// Identities the wave gate never gates (`--gate-exempt`): exact, or a prefix when they end in `*`.
    public var gateExempt: [String]

    /// Creates a policy.
    /// - Parameters:
    ///   - controllerUsername: triggergate's own user name, for example `system:serviceaccount:ops:triggergate`.
    ///   - allowedWriters: further user names allowed to write the controller-owned keys.
    ///   - gateExempt: identities the wave gate never gates (exact, or `prefix*`).
    public init(controllerUsername: String, allowedWriters: [String], gateExempt: [String] = []) {
        self.controllerUsername = controllerUsername
        self.allowedWriters = allowedWriters
        self.gateExempt = gateExempt
    }

    /// Whether `username` may add, change or remove the controller-owned keys.
    public func mayWriteControllerKeys(_ username: String) -> Bool {
        username == controllerUsername || allowedWriters.contains(username)
    }
}
