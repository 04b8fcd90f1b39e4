/// Who made an admission request: `request.userInfo`, as the API server authenticated it.
public struct UserInfo: Sendable, Hashable {
    /// The user name, for example `alice` or `system:serviceaccount:argocd:argocd-application-controller`.
    public var username: String
    /// The user's uid; impersonated users have none.
    public var uid: String?
    /// The user's groups.
    public var groups: [String]
    /// Extra attributes the authenticator added (for example a service account's pod name).
    public var extra: [String: [String]]

    /// Creates a user.
    public init(username: String, uid: String? = nil, groups: [String] = [], extra: [String: [String]] = [:]) {
        self.username = username
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }
}
