import ConcordTestTools
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The outbox's promises: at least once (a crash between sending and marking re-sends the same
/// Message-ID), back-off and giving up, claims that expire, and webhooks signed with the team's secret.
@Suite(.serialized) struct OutboxDeliveryTests {
    /// Sends for real, then fails as a worker would that died before marking the message sent.
    struct CrashAfterSending: MailTransport {
        let real: any MailTransport
        let crashes: Int
        let calls = Counter()

        func send(_ message: String, from: String, to recipients: [String]) async throws {
            try await real.send(message, from: from, to: recipients)
            if await calls.next() <= crashes { throw ConcordError(.unavailable, "worker died before marking") }
        }
    }

    actor Counter {
        private var value = 0
        func next() -> Int {
            value += 1
            return value
        }
    }

    static func reportScan(_ forum: TestForum, _ app: Application, tlp: String = "TLP:GREEN") async throws -> String {
        try await IncidentTests.report(
            [
                "title": "Scanning from 198.51.100.100", "classification": "information-gathering/scanner",
                "tlp": AnyEncodable(tlp), "observables": AnyEncodable([["value": "198.51.100.100"]]),
                "recipients": AnyEncodable(["handler@test.example"]),
            ], as: .handler, forum: forum, app: app
        ).content.decode(IncidentDTO.self).number
    }

    @Test(.needs(.python, .msmtp, .gpg)) func aCrashBetweenSendingAndMarkingResendsTheSameMessage() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            try await MailRig.configure(app, sink: sink)
            _ = try await Self.reportScan(forum, app)
            let now = Date()
            var worker = OutboxWorker(application: app)
            worker.transport = CrashAfterSending(real: SendmailTransport(settings: app.concord.mail), crashes: 1)

            // act: the first attempt sends and "crashes"; nothing is due 10 s later; after the back-off it goes again
            try await worker.runDue(at: now)
            let afterCrash = try #require(
                try await OutboxMessage.query(on: app.db).filter(\.$purpose == "assigned").first())
            let early = try await worker.runDue(at: now.addingTimeInterval(10))
            try await worker.runDue(at: now.addingTimeInterval(31))

            // validate
            #expect(afterCrash.state == .pending && afterCrash.attempts == 1)
            #expect(abs(afterCrash.nextAttemptAt.timeIntervalSince(now) - 30) < 1)
            #expect(afterCrash.lastError == "worker died before marking")
            #expect(early == 0)
            let mails = try await sink.waitFor(2)
            #expect(mails.count == 2, "sent twice: at least once, never lost")
            let ids = mails.map { ReceivedMail.header("Message-ID", in: $0) }
            #expect(ids[0] != nil && ids[0] == ids[1], "the copy carries the same Message-ID")
            #expect(mails.map { ReceivedMail.header("X-Concord-Attempt", in: $0) } == ["1", "2"])
            let done = try await OutboxMessage.find(afterCrash.requireID(), on: app.db)
            #expect(done?.state == .sent && done?.attempts == 2)
        }
    }

    @Test(.needs(.python, .msmtp, .gpg)) func aClaimThatIsNeverMarkedIsTakenOverWhenItsLeaseEnds() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withApp { app in
            // setup: a worker claimed the message and died holding it
            let forum = try await TestForum.seed(app)
            try await MailRig.configure(app, sink: sink)
            _ = try await Self.reportScan(forum, app)
            let now = Date()
            let message = try #require(
                try await OutboxMessage.query(on: app.db).filter(\.$purpose == "assigned").first())
            let id = try message.requireID()
            let dead = try #require(try await OutboxWorker.claim(id, dueAt: now, on: app.db))
            let worker = OutboxWorker(application: app)

            // act: while the lease holds nothing is taken, even with the application's clock far
            // ahead (the lease is the database's); once the database's clock passes it, it is
            let during = try await worker.runDue(at: now.addingTimeInterval(3600))
            try await Self.expireLease(of: id, on: app.db)
            let after = try await worker.runDue(at: now)

            // validate
            #expect(dead.attempts == 1)
            #expect(during == 0, "another worker holds it")
            #expect(after == 1)
            #expect(try await sink.waitFor(1).count == 1)
            let sent = try await OutboxMessage.find(id, on: app.db)
            #expect(sent?.state == .sent && sent?.attempts == 2 && sent?.claimToken == nil)
        }
    }

    @Test func aWorkerWhoseClaimWasTakenOverMarksNothing() async throws {
        try await withApp { app in
            // setup: worker A's claim ran out and worker B took the message over
            let forum = try await TestForum.seed(app)
            _ = try await Self.reportScan(forum, app)
            let message = try #require(
                try await OutboxMessage.query(on: app.db).filter(\.$purpose == "assigned").first())
            let id = try message.requireID()
            let first = try #require(try await OutboxWorker.claim(id, dueAt: Date(), on: app.db))
            let refused = try await OutboxWorker.claim(id, dueAt: Date(), on: app.db)
            try await Self.expireLease(of: id, on: app.db)
            let second = try #require(try await OutboxWorker.claim(id, dueAt: Date(), on: app.db))

            // act
            let staleReleased = try await app.db.writeTransaction { db in
                try await OutboxWorker.release(id, claim: first, on: db)
            }
            let heldAfterStale = try await OutboxMessage.find(id, on: app.db)
            let currentReleased = try await app.db.writeTransaction { db in
                try await OutboxWorker.release(id, claim: second, on: db)
            }

            // validate
            #expect(refused == nil, "a live claim is not taken")
            #expect(first.token != second.token && second.attempts == 2)
            #expect(staleReleased == false, "the lost claim marks nothing")
            #expect(heldAfterStale?.claimToken == second.token, "B's claim is untouched")
            #expect(currentReleased == true)
        }
    }

    /// Moves a claim's lease into the past, as the database's clock passing it would.
    static func expireLease(of id: UUID, on db: any Database) async throws {
        let sql = try #require(db as? any SQLDatabase)
        try await sql.raw(
            "UPDATE outbox_messages SET lease_until = \(bind: Date(timeIntervalSince1970: 0)) WHERE id = \(bind: id)"
        ).run()
    }

    @Test(.needs(.python, .msmtp, .gpg)) func anUnreachableMailServerIsRetriedWithBackOffThenGivenUp() async throws {
        try await withApp { app in
            // setup: msmtp points at a port where nothing listens
            let forum = try await TestForum.seed(app)
            let nobody = try await SMTPSink()
            try await MailRig.configure(app, sink: nobody)
            nobody.stop()
            let number = try await Self.reportScan(forum, app)
            var worker = OutboxWorker(application: app)
            worker.retry = .init(first: 30, ceiling: 3600, maxAttempts: 3)
            let now = Date()

            // act / validate: 30 s, then 60 s, then given up
            try await worker.runDue(at: now)
            var message = try #require(
                try await OutboxMessage.query(on: app.db).filter(\.$purpose == "assigned").first())
            #expect(message.state == .pending && abs(message.nextAttemptAt.timeIntervalSince(now) - 30) < 1)
            #expect(message.lastError?.contains("msmtp exited") == true)
            try await worker.runDue(at: now.addingTimeInterval(30))
            message = try #require(try await OutboxMessage.find(message.requireID(), on: app.db))
            #expect(message.state == .pending && abs(message.nextAttemptAt.timeIntervalSince(now) - 90) < 1)
            try await worker.runDue(at: now.addingTimeInterval(90))
            message = try #require(try await OutboxMessage.find(message.requireID(), on: app.db))
            #expect(message.state == .failed && message.attempts == 3)
            #expect(try await worker.runDue(at: now.addingTimeInterval(86_400)) == 0, "a failed message stays failed")
            let shown = try await NotificationMailTests.incident(number, forum: forum, app: app)
            #expect(
                shown.timeline.contains { $0.text.hasPrefix("SingCERT notified by e-mail FAILED after 3 attempts") })
        }
    }

    @Test func escalationsGoToTheNextChannelThenToTheSecretariat() async throws {
        try await withApp { app in
            // setup: SingCERT has a general address as its next channel; the secretariat a duty address
            let forum = try await TestForum.seed(app)
            for (team, kind, value) in [
                ("singcert", "general-email", "info@sg.example"), ("jpcert-cc", "emergency-email", "duty@jpcert.test"),
            ] {
                let added = try await app.testing().send(
                    .POST, "/api/v1/teams/\(team)/contacts", headers: forum.headers(.forumAdmin),
                    body: json(["kind": kind, "value": value, "availability": "24x7"]))
                try #require(added.status == .created)
            }
            let number = try await Self.reportScan(forum, app)
            let reported = try await NotificationMailTests.incident(number, forum: forum, app: app).reportedAt

            // act
            try await DeadlineScheduler.runDue(at: reported.addingTimeInterval(7300), on: app.db)
            try await DeadlineScheduler.runDue(at: reported.addingTimeInterval(11_000), on: app.db)

            // validate
            let queued = try await OutboxMessage.query(on: app.db).sort(\.$createdAt).all()
            let byPurpose = Dictionary(grouping: queued, by: \.purpose).mapValues { $0.map(\.recipient) }
            #expect(byPurpose["assigned"] == ["cert@sg.example"])
            #expect(byPurpose["reminder"] == ["info@sg.example"])
            #expect(byPurpose["secretariat-alert"] == ["duty@jpcert.test"])
            let alert = try #require(queued.first { $0.purpose == "secretariat-alert" })
            #expect(alert.subject == "[TLP:GREEN] \(number) not acknowledged by SingCERT")
            #expect(
                alert.body.contains("phone") || alert.body.contains("hotline"),
                "the secretariat is told how to reach the team")
            #expect(alert.acknowledgementLinkID == nil)
            #expect(queued.first { $0.purpose == "reminder" }?.acknowledgementLinkID != nil)
        }
    }

    @Test func redIncidentNotificationsCarryTheNumberOnly() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let number = try await Self.reportScan(forum, app, tlp: "TLP:RED")
            let message = try #require(
                try await OutboxMessage.query(on: app.db).filter(\.$purpose == "assigned").first())
            #expect(message.subject == "[TLP:RED] \(number) for SingCERT")
            #expect(!message.body.contains("198.51.100.100") && !message.body.contains("Scanning"))
            #expect(message.body.contains("only the people it names may read it"))
        }
    }
}
