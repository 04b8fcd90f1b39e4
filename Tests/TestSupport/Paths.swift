public import Foundation

/// The root of this package: the folder that holds `Package.swift`.
public let packageRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("Package.swift not found above \(#filePath)")
}()

/// The folder with the shared fixtures, beside the checkout (`../shared/fixtures`), or `TRIGGERGATE_FIXTURES`.
public let fixturesRoot: URL = {
    if let path = ProcessInfo.processInfo.environment["TRIGGERGATE_FIXTURES"] { return URL(fileURLWithPath: path) }
    return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
}()

/// The `triggergate` binary built beside the running test bundle, or `TRIGGERGATE_BIN`.
public let triggergateBinary: URL = {
    if let path = ProcessInfo.processInfo.environment["TRIGGERGATE_BIN"] { return URL(fileURLWithPath: path) }
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    return executable.deletingLastPathComponent().appendingPathComponent("triggergate")
}()
