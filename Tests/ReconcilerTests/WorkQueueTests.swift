import Reconciler
import Testing

@Suite struct WorkQueueTests {
    @Test func aKeyIsHeldByOneWorkerAndQueuedAgainWhenAddedMeanwhile() async {
        let queue = WorkQueue()
        await queue.add("ml/a")
        await queue.add("ml/b")
        await queue.add("ml/a")
        await queue.setPaused(false)
        #expect(await queue.next() == "ml/a")
        #expect(await queue.next() == "ml/b")
        await queue.add("ml/a")
        await queue.close()
        #expect(await queue.next() == nil, "ml/a was handed out while a worker held it, or the closed queue handed out work")
        #expect(await queue.mostActive == 2)
    }

    @Test func aHeldKeyAddedAgainComesBackAfterDone() async {
        let queue = WorkQueue()
        await queue.setPaused(false)
        await queue.add("ml/a")
        #expect(await queue.next() == "ml/a")
        await queue.add("ml/a")
        await queue.done("ml/a")
        #expect(await queue.next() == "ml/a")
    }

    @Test func aPausedQueueHandsOutNothingUntilResumed() async {
        let queue = WorkQueue()
        await queue.add("ml/a")
        let waiter = Task { await queue.next() }
        try? await Task.sleep(for: .milliseconds(50))
        #expect(await queue.mostActive == 0, "a paused queue handed out work")
        await queue.setPaused(false)
        #expect(await waiter.value == "ml/a")
        let idle = Task { await queue.next() }
        await queue.close()
        #expect(await idle.value == nil)
    }

    @Test func aKeyWaitingForARetryIgnoresAddsUntilItsTime() async throws {
        let queue = WorkQueue()
        await queue.setPaused(false)
        await queue.add("ml/a")
        #expect(await queue.next() == "ml/a")
        let start = ContinuousClock.now
        await queue.add("ml/a", after: .milliseconds(300))
        await queue.add("ml/a")
        await queue.done("ml/a")
        #expect(await queue.next() == "ml/a")
        #expect(ContinuousClock.now - start >= .milliseconds(300))
    }
}
