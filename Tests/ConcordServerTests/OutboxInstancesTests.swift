import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The outbox with two instances on one database: a message committed on one is sent by the
/// other's worker within a second of its commit (woken, not polled), and two live workers never
/// send a message twice, even when the mail server holds each message for two seconds. A latency
/// test: `scripts/test` runs it in a lane of its own, not beside the whole suite.
@Suite(.serialized) struct OutboxInstancesTests {
    @Test func aNewMessageWakesTheWorkerOfAnotherInstance() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withApp(sqliteFile: true) { a in
            // setup: A only takes reports; B runs the outbox worker, whose poll is a minute
            let forum = try await TestForum.seed(a)
            try await MailRig.configure(a, sink: sink)
            try await withSecondInstance(of: a) { b in
                useRevisionWatch(b)
                b.lifecycle.use(OutboxWorker.job(every: .seconds(60)))
                try await b.asyncBoot()
                let clock = ContinuousClock()

                // act
                let start = clock.now
                _ = try await OutboxDeliveryTests.reportScan(forum, a)
                let mails = try await sink.waitFor(1)
                let elapsed = clock.now - start

                // validate
                print("outbox wake (\(a.concord.database.kind)): report to mail at the sink in \(elapsed)")
                #expect(mails.count == 1)
                #expect(elapsed < .seconds(2), "report to mail at the sink took \(elapsed)")
                #expect(try await Self.eventuallySent(on: a.db), "B marks it sent after the sink accepted it")
            }
        }
    }

    /// Whether the assigned notification is marked sent within five seconds.
    static func eventuallySent(on db: any Database) async throws -> Bool {
        for _ in 0..<100 {
            let message = try await OutboxMessage.query(on: db).filter(\.$purpose == "assigned").first()
            if message?.state == .sent { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func twoLiveWorkersNeverSendAMessageTwiceThroughASlowMailServer() async throws {
        let sink = try await SMTPSink(hold: 2)
        defer { sink.stop() }
        try await withApp(sqliteFile: true) { a in
            // setup: three reports queue their notifications
            let forum = try await TestForum.seed(a)
            try await MailRig.configure(a, sink: sink)
            for _ in 0..<3 { _ = try await OutboxDeliveryTests.reportScan(forum, a) }
            let queued = try await OutboxMessage.query(on: a.db).filter(\.$channel == .email).count()
            try await withSecondInstance(of: a) { b in
                // act: both instances' workers run at once
                let now = Date()
                async let fromA = OutboxWorker(application: a).runDue(at: now)
                async let fromB = OutboxWorker(application: b).runDue(at: now)
                let attempted = try await [fromA, fromB]

                // validate
                let mails = try await sink.waitFor(queued)
                let ids = mails.compactMap { ReceivedMail.header("Message-ID", in: $0) }
                #expect(queued >= 3)
                #expect(attempted.reduce(0, +) == queued, "each message claimed once: \(attempted)")
                #expect(attempted.allSatisfy { $0 > 0 }, "both workers shared the work: \(attempted)")
                #expect(mails.count == queued && Set(ids).count == queued, "each message sent once")
                let states = try await OutboxMessage.query(on: a.db).filter(\.$channel == .email).all()
                #expect(states.allSatisfy { $0.state == .sent && $0.attempts == 1 })
            }
        }
    }
}
