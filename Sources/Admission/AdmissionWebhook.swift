/// Which admission webhook a request was sent to.
public enum Webhook: String, Sendable {
    /// `/validate`: the ValidatingWebhookConfiguration.
    case validate
    /// `/mutate`: the MutatingWebhookConfiguration.
    case mutate
    /// `/gate`: the wave gate's ValidatingWebhookConfiguration entry, for any namespaced object with a sync wave.
    case gate
}
