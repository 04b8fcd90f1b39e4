// Usage:
//
//     let config = try KubeConfig.load(kubeconfigPath: flags.kubeconfig, environment: ProcessInfo.processInfo.environment)
//     let kube = KubeClient(config: config)
//     let job = try await kube.get(.notebookValidationJobs, namespace: "ml", name: "train")        // JSONValue
//     let list = try await kube.list(.notebookValidationJobs)                                       // items + resourceVersion
//     for try await event in try await kube.watch(.notebookValidationJobs, resourceVersion: list.resourceVersion,
//                                                 timeoutSeconds: 300) { ... }                    // ADDED/MODIFIED/DELETED/BOOKMARK
//     try await kube.mergePatch(.deployments, namespace: "ml", name: "web", patch: ["spec": ...])
//     try await kube.jsonPatch(.applications, namespace: "argocd", name: "app",
//                              operations: [.test(["metadata", "resourceVersion"], "42"), .add(["operation"], op)])
//     let raw = try await kube.send(KubeRequest(method: "GET", path: "/api/v1"))                    // any status, no decoding
//
// Also: `evict(pod:namespace:groupVersion:)` with `evictionGroupVersion()`, `resourceType(apiVersion:kind:)` and
// `discover(groupVersion:)`, `createEvent(_:)`, `review(_:)` (SubjectAccessReview), `lease`/`createLease`/`updateLease`.
//
// Calls throw `KubeError`: for a non-2xx answer (decoded from its `Status`; `send` returns those instead), a timeout or a
// transport failure. Check `kind`, `isTemporary`, `retryAfter`, `isFailedJSONPatchTest`. `CancellationError` passes through. Requests go through the client-side rate limiter (qps/burst) and reuse
// HTTP/1.1 keep-alive connections. A token read from a file is read again after a 401, and the request retried once.

import HTTP
public import Logging

/// A Kubernetes API client over the project's own TCP, TLS and HTTP/1.1 layers.
public final class KubeClient: Sendable {
    /// Where and how it connects.
    public let config: KubeConfig
    /// The client-side rate limiter every request passes.
    public let limiter: RateLimiter
    /// The largest answer body read for an ordinary request.
    public let maxBodyBytes: Int
    /// The largest single watch event accepted.
    public let maxWatchEventBytes: Int
    /// Where retries (a stale connection, a token read again) are logged, at debug level.
    public let logger: Logger
    let connector: any KubeConnector
    let pool = ConnectionPool()

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - config: Server, trust, credentials, rate limits.
    ///   - connector: How connections are opened; ``TransportConnector`` (TCP, then TLS for https) by default.
    ///   - maxBodyBytes: The largest answer body read (64 MiB by default).
    ///   - maxWatchEventBytes: The largest single watch event (16 MiB by default).
    ///   - logger: Where retries are logged.
    public init(
        config: KubeConfig, connector: (any KubeConnector)? = nil, maxBodyBytes: Int = 64 << 20, maxWatchEventBytes: Int = 16 << 20,
        logger: Logger = Logger(label: "triggergate.kube")
    ) {
        self.logger = logger
        self.config = config
        self.connector = connector ?? TransportConnector()
        self.limiter = RateLimiter(qps: config.qps, burst: config.burst)
        self.maxBodyBytes = maxBodyBytes
        self.maxWatchEventBytes = maxWatchEventBytes
    }

    /// Closes the idle connections.
    public func shutdown() {
        pool.closeAll()
    }

    /// Sends a request and returns the answer whatever its status (no `Status` decoding).
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - timeout: The deadline for the whole exchange; ``KubeConfig/requestTimeout`` when nil.
    /// - Throws: ``KubeError`` (`.timeout`, `.transport`) when no complete answer came.
    public func send(_ request: KubeRequest, timeout: Duration? = nil) async throws -> KubeResponse {
        let deadline = ContinuousClock.now + (timeout ?? config.requestTimeout)
        let (response, connection) = try await open(request, deadline: deadline)
        let body: [UInt8]
        do {
            body = try await response.collect(upTo: maxBodyBytes)
        } catch {
            connection.close()
            throw failure(error, request, deadline)
        }
        pool.giveBack(connection)
        return KubeResponse(status: response.status, headers: response.headers, body: body)
    }

    /// Sends a request and returns the body of a 2xx answer.
    ///
    /// - Throws: ``KubeError`` for any other status, decoded from its `Status`.
    func call(_ request: KubeRequest, sentJSONPatchTest: Bool = false) async throws -> [UInt8] {
        let response = try await send(request)
        guard response.isSuccess else {
            throw KubeError(
                statusCode: response.status, body: response.body, retryAfterHeader: response.headers["Retry-After"],
                request: request.summary, sentJSONPatchTest: sentJSONPatchTest)
        }
        return response.body
    }

    /// Sends a request and returns once the answer's head arrived, with the connection that carries its body.
    /// Passes the rate limiter; resends an idempotent request once when a reused connection turns out to be stale;
    /// after a 401 with a token file, reads the token again and resends once.
    func open(_ request: KubeRequest, deadline: ContinuousClock.Instant) async throws -> (HTTPClientResponse, HTTP1ClientConnection) {
        try await limiter.acquire()
        var reloadToken = false
        var staleRetries = pool.maxIdle + 1
        while true {
            let message = try head(for: request, reloadToken: reloadToken)
            let reused = pool.take()
            let connection: HTTP1ClientConnection
            if let reused {
                connection = reused
            } else {
                do {
                    connection = HTTP1ClientConnection(stream: try await connector.connect(config, deadline: deadline))
                } catch {
                    throw failure(error, request, deadline)
                }
            }
            let response: HTTPClientResponse
            do {
                response = try await connection.send(message, deadline: deadline)
            } catch {
                connection.close()
                if reused != nil, request.isIdempotent, staleRetries > 0, !(error is CancellationError), ContinuousClock.now < deadline {
                    staleRetries -= 1
                    logger.debug("resending on a new connection", metadata: ["request": "\(request.summary)", "error": "\(error)"])
                    continue
                }
                throw failure(error, request, deadline)
            }
            if response.status == 401, !reloadToken, config.token?.isFile == true {
                _ = try? await response.collect(upTo: 1 << 16)
                pool.giveBack(connection)
                reloadToken = true
                logger.debug("401: reading the token file again", metadata: ["request": "\(request.summary)"])
                continue
            }
            return (response, connection)
        }
    }

    /// The HTTP request for `request`: Host, User-Agent, Accept, Authorization, Content-Type.
    private func head(for request: KubeRequest, reloadToken: Bool) throws -> HTTPRequest {
        var headers: HTTPHeaders = [
            "Host": config.port == (config.usesTLS ? 443 : 80) ? config.urlHost : "\(config.urlHost):\(config.port)",
            "User-Agent": config.userAgent,
            "Accept": "application/json",
        ]
        if let token = config.token {
            do {
                headers.add(name: "Authorization", value: "Bearer \(try token.token(reload: reloadToken))")
            } catch {
                throw KubeError(kind: .unauthorized, request: request.summary, detail: error.message)
            }
        }
        if let contentType = request.contentType { headers.add(name: "Content-Type", value: contentType) }
        return HTTPRequest(method: request.method, target: request.path, headers: headers, body: request.body)
    }

    /// A thrown error as the caller sees it: cancellation as is, a passed deadline as `.timeout`, the rest as `.transport`.
    func failure(_ error: any Error, _ request: KubeRequest, _ deadline: ContinuousClock.Instant) -> any Error {
        if error is CancellationError || error is KubeError { return error }
        if ContinuousClock.now >= deadline {
            return KubeError(kind: .timeout, request: request.summary, detail: "no answer from \(config.serverURL) in time")
        }
        return KubeError(kind: .transport, request: request.summary, detail: "talking to \(config.serverURL) failed: \(error)")
    }
}
