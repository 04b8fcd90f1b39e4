public import Testing

extension Tag {
    /// A slow test that starts real processes (the binary, curl, openssl, h2load, the fake API server). CI runs it too.
    @Tag public static var integration: Self
}
