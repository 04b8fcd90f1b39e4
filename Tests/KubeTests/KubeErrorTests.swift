import Kube
import Testing

struct KubeErrorTests {
    private func error(_ prefix: String, jsonPatchTest: Bool = false) throws -> KubeError {
        let fixture = try Fixture(prefix)
        return KubeError(statusCode: fixture.status, body: fixture.body, retryAfterHeader: fixture.headers["Retry-After"],
                         request: "PATCH /x", sentJSONPatchTest: jsonPatchTest)
    }

    @Test func statusCodesMapToKinds() throws {
        #expect(try error("48-").kind == .unauthorized)
        #expect(try error("47-").kind == .forbidden)
        #expect(try error("20-").kind == .notFound)
        #expect(try error("22-").kind == .notFound)
        #expect(try error("28-").kind == .conflict)
        #expect(try error("33-").kind == .gone)
        #expect(try error("43-").kind == .unsupportedMediaType)
        #expect(try error("37-").kind == .invalid)
        #expect(try error("71-").kind == .tooManyRequests)
        #expect(try error("90-").kind == .serverError)
        #expect(try error("41-").kind == .badRequest)
    }

    @Test func conflictVersusAlreadyExists() throws {
        #expect(try !error("28-").isAlreadyExists)
        #expect(try error("42-").isAlreadyExists)
        #expect(try error("28-").isTemporary)
        #expect(try error("28-").description.contains("the object has been modified"))
    }

    @Test func failedJSONPatchTestIsAConflict() throws {
        let failedTest = try error("27-", jsonPatchTest: true)
        #expect(failedTest.kind == .invalid && failedTest.isFailedJSONPatchTest && failedTest.isTemporary)
        let invalid = try error("37-", jsonPatchTest: true)
        #expect(!invalid.isFailedJSONPatchTest && !invalid.isTemporary)
        #expect(try !error("27-").isFailedJSONPatchTest)
    }

    @Test func retryAfterFromHeaderOrDetails() throws {
        let pdb = try error("71-")
        #expect(pdb.retryAfter == nil)
        #expect(pdb.description.contains("needs 1 healthy pods"))
        let header = KubeError(statusCode: 429, body: Array(#"{"kind":"Status","code":429}"#.utf8), retryAfterHeader: "3", request: "GET /x")
        #expect(header.retryAfter == .seconds(3))
        let details = KubeError(statusCode: 429, body: Array(#"{"kind":"Status","code":429,"details":{"retryAfterSeconds":2}}"#.utf8),
                                retryAfterHeader: nil, request: "GET /x")
        #expect(details.retryAfter == .seconds(2))
    }

    @Test func aPlainTextAnswerShowsItsCodeOnce() throws {
        let unknown = try error("22-")
        #expect(unknown.summary == "PATCH /x: 404 page not found", "\(unknown.summary)")
        #expect(try error("20-").summary.hasPrefix("PATCH /x: 404 notebookvalidationjobs.mlops.mlops.dev"))
    }

    @Test func permanentErrors() throws {
        for prefix in ["48-", "47-", "20-", "37-", "41-"] {
            #expect(try !error(prefix).isTemporary, "\(prefix)")
        }
    }
}
