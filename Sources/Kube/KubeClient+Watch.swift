import HTTP
import Locking

extension KubeClient {
    /// Starts a watch and returns its events as they arrive.
    ///
    /// The stream ends normally when the server closes it at `timeoutSeconds`; start again from the last event's (or
    /// bookmark's) resourceVersion. A 410 (a too-old resourceVersion, as an HTTP status or an `ERROR` event) throws a
    /// ``KubeError`` of kind `.gone`: list again. A connection dropped mid-stream throws `.transport`.
    ///
    /// - Parameters:
    ///   - resource: What to watch; in `namespace`, or all namespaces when nil.
    ///   - resourceVersion: Where to start (a list's resourceVersion); nil or "0" starts with ADDED for every object.
    ///   - allowBookmarks: Ask for BOOKMARK events.
    ///   - timeoutSeconds: The server ends the watch after this long; the client gives up 30 s later if it stays silent.
    public func watch(
        _ resource: ResourceType, namespace: String? = nil, resourceVersion: String? = nil, allowBookmarks: Bool = true,
        timeoutSeconds: Int = 300, labelSelector: String? = nil, fieldSelector: String? = nil
    ) async throws -> WatchStream {
        var query: [(String, String)] = [("watch", "1")]
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        if allowBookmarks { query.append(("allowWatchBookmarks", "true")) }
        query.append(("timeoutSeconds", String(timeoutSeconds)))
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        let request = KubeRequest(method: "GET", path: resource.path(namespace: namespace) + PathEscaping.query(query))
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds) + .seconds(30)
        let (response, connection) = try await open(request, deadline: deadline)
        guard response.status == 200 else {
            let body = (try? await response.collect(upTo: 1 << 20)) ?? []
            pool.giveBack(connection)
            throw KubeError(
                statusCode: response.status, body: body, retryAfterHeader: response.headers["Retry-After"], request: request.summary)
        }
        let reading = WatchConnection(client: self, connection: connection, request: request, deadline: deadline)
        return WatchStream(reading: reading, body: response.body)
    }
}

/// The events of one watch: an `AsyncSequence` of ``WatchEvent``. Iterate it once; stopping early closes the connection.
public struct WatchStream: AsyncSequence, Sendable {
    public typealias Element = WatchEvent

    let reading: WatchConnection
    let body: HTTPClientBody

    public func makeAsyncIterator() -> Iterator {
        Iterator(reading: reading, body: body.makeAsyncIterator(),
                 decoder: WatchLineDecoder(maxLineBytes: reading.client.maxWatchEventBytes, request: reading.request.summary))
    }

    /// Reads chunks and yields complete events.
    public struct Iterator: AsyncIteratorProtocol {
        let reading: WatchConnection
        var body: HTTPClientBody.Iterator
        var decoder: WatchLineDecoder

        /// The next event; nil when the server ended the watch.
        public mutating func next() async throws -> WatchEvent? {
            while true {
                if let event = try decoder.next() { return event }
                let chunk: [UInt8]?
                do {
                    chunk = try await body.next()
                } catch {
                    reading.abandon()
                    throw reading.client.failure(error, reading.request, reading.deadline)
                }
                guard let chunk else {
                    guard !decoder.hasPartialEvent else {
                        reading.abandon()
                        throw KubeError(kind: .transport, request: reading.request.summary,
                                        detail: "the watch ended in the middle of an event")
                    }
                    reading.finish()
                    return nil
                }
                decoder.append(chunk)
            }
        }
    }
}

/// Owns a watch's connection: returned to the pool when the stream ended cleanly, closed otherwise (also when the
/// consumer stops early and drops the stream).
final class WatchConnection: Sendable {
    let client: KubeClient
    let request: KubeRequest
    let deadline: ContinuousClock.Instant
    private let connection: HTTP1ClientConnection
    private let done = Locked(false)

    init(client: KubeClient, connection: HTTP1ClientConnection, request: KubeRequest, deadline: ContinuousClock.Instant) {
        self.client = client
        self.connection = connection
        self.request = request
        self.deadline = deadline
    }

    /// The stream ended at its end: keep the connection for reuse.
    func finish() {
        guard done.withLock({ let was = $0; $0 = true; return !was }) else { return }
        client.pool.giveBack(connection)
    }

    /// The stream broke or was left: close the connection.
    func abandon() {
        guard done.withLock({ let was = $0; $0 = true; return !was }) else { return }
        connection.close()
    }

    deinit {
        if !done.withLock({ $0 }) { connection.close() }
    }
}
