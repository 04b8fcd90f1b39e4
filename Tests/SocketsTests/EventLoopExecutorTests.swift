import Glibc
@testable import Sockets
import Testing

/// The thread a piece of code runs on.
private func currentThread() -> UInt { UInt(pthread_self()) }

/// The name of the thread a piece of code runs on, as the kernel has it.
private func threadName() -> String {
    let fd = open("/proc/thread-self/comm", O_RDONLY)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: 32)
    let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    return String(decoding: bytes.prefix(max(0, count)), as: UTF8.self).trimmingNewline()
}

private extension String {
    func trimmingNewline() -> String { hasSuffix("\n") ? String(dropLast()) : self }
}

@Suite struct EventLoopExecutorTests {
    private let loops = EventLoopGroup.shared.loops

    @Test func tasksThatPreferALoopRunOnItsOneThread() async throws {
        let loop = loops[0]
        let threads = await withTaskGroup(of: UInt.self) { group in
            for _ in 0..<20 {
                group.addTask(executorPreference: loop) {
                    await Task.yield()
                    return currentThread()
                }
            }
            return await group.reduce(into: Set<UInt>()) { $0.insert($1) }
        }
        #expect(threads.count == 1)
        #expect(!threads.contains(currentThread()))
    }

    /// Each loop's thread carries the loop's name, for `top -H` and `/proc/PID/task/*/comm`.
    @Test func loopThreadsAreNamed() async throws {
        for (index, loop) in loops.enumerated() {
            let name = await withTaskExecutorPreference(loop) { threadName() }
            #expect(name == "tg-event-loop-\(index)")
        }
    }

    @Test(.enabled(if: EventLoopGroup.shared.loops.count > 1, "needs two processors"))
    func eachLoopHasItsOwnThread() async {
        let first = await withTaskExecutorPreference(loops[0]) { currentThread() }
        let second = await withTaskExecutorPreference(loops[1]) { currentThread() }
        #expect(first != second)
    }

    /// A socket's task resumes on the loop that watches the socket, and sees its reads there.
    @Test func aSocketOnALoopIsServedOnThatLoopsThread() async throws {
        let loop = loops[loops.count - 1]
        let (left, right) = try Socket.makeNonBlockingPair()
        let reader = try AsyncSocket(left, loop: loop)
        let writer = try AsyncSocket(right)
        let loopThread = await withTaskExecutorPreference(loop) { currentThread() }
        async let read: (bytes: [UInt8], thread: UInt) = withTaskExecutorPreference(loop) {
            let bytes = try await reader.read(maxCount: 10, deadline: .now + .seconds(10))
            return (bytes, currentThread())
        }
        try await Task.sleep(for: .milliseconds(50))
        try await writer.write([7, 8, 9], deadline: nil)
        let result = try await read
        #expect(result.bytes == [7, 8, 9])
        #expect(result.thread == loopThread)
    }

    /// A nearer deadline set while the loop's thread sleeps towards a far one wakes it, whether the waiter runs on the
    /// loop itself or elsewhere. The loop is the test's own, so that nothing else wakes it.
    @Test(arguments: [true, false])
    func aNearerDeadlineWakesASleepingLoop(waiterOnTheLoop: Bool) async throws {
        let loop = try EventLoop()
        let (farSide, _) = try Socket.makeNonBlockingPair()
        let (nearSide, _) = try Socket.makeNonBlockingPair()
        let far = try AsyncSocket(farSide, loop: loop)
        let near = try AsyncSocket(nearSide, loop: loop)
        let farRead = Task { try await far.read(maxCount: 1, deadline: .now + .seconds(30)) }
        try await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        let waitNear: @Sendable () async -> Bool = {
            do {
                _ = try await near.read(maxCount: 1, deadline: .now + .milliseconds(100))
                return false
            } catch let error as SocketError {
                return error.kind == .timedOut
            } catch {
                return false
            }
        }
        let timedOut = waiterOnTheLoop ? await withTaskExecutorPreference(loop, operation: waitNear) : await waitNear()
        let waited = ContinuousClock.now - started
        #expect(timedOut)
        #expect(waited >= .milliseconds(100) && waited < .seconds(5), "waited \(waited)")
        farRead.cancel()
        _ = try? await farRead.value
    }

    @Test func manyTasksFromManyThreadsAllRunOnTheLoop() async {
        let loop = loops[0]
        let finished = await withTaskGroup(of: Int.self) { group in
            for index in 0..<2_000 {
                group.addTask(executorPreference: index.isMultiple(of: 2) ? loop : nil) {
                    await withTaskExecutorPreference(loop) {
                        for _ in 0..<3 { await Task.yield() }
                        return 1
                    }
                }
            }
            return await group.reduce(0, +)
        }
        #expect(finished == 2_000)
    }

    @Test(arguments: [
        ("max 100000\n", nil), ("200000 100000\n", 2), ("150000 100000", 2), ("50000 100000\n", 1), ("", nil), ("x y", nil),
    ] as [(String, Int?)])
    func aCgroupQuotaRoundsUpToWholeProcessors(text: String, processors: Int?) {
        #expect(parseProcessorQuota(text) == processors)
    }

    @Test func theUsableProcessorCountIsPositiveAndWithinTheAffinity() {
        let count = usableProcessorCount()
        #expect(count >= 1)
        #expect(count <= Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #expect(EventLoopGroup.shared.loops.count == count)
    }
}
