import Testing
import TestSupport

/// Foundation with ICU costs the shipped binary about 24 MB of RSS (the ICU data alone is 34 MB of the static build),
/// so no module may pull it in, directly or through a package. The debug build links the Swift libraries dynamically,
/// so what the release build would link in statically shows up here as a shared library.
@Suite struct LinkedLibrariesTests {
    @Test func triggergateLinksFoundationEssentialsOnlyAndTheSystemLibyaml() async throws {
        let result = try await run("ldd", [triggergateBinary.path])
        #expect(result.status == 0, "\(result.stderr)")
        let libraries = Set(result.stdout.split(separator: "\n").compactMap { line in
            line.split(whereSeparator: \.isWhitespace).first.map(String.init)
        })
        #expect(libraries.contains("libFoundationEssentials.so"))
        #expect(libraries.contains("libyaml-0.so.2"))
        for withICU in ["libFoundation.so", "libFoundationInternationalization.so", "lib_FoundationICU.so"] {
            #expect(!libraries.contains(withICU), "\(withICU) is linked: a module imports Foundation instead of FoundationEssentials")
        }
    }
}
