import ConcordTestTools
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Notification mail end to end: the outbox row written with the report, the worker composing
/// OpenPGP/MIME with the real GnuPG, msmtp delivering to a real SMTP server on loopback, and the
/// recipient decrypting with its own key in its own GnuPG home.
@Suite(.serialized) struct NotificationMailTests {
    static var c2Report: [String: AnyEncodable] {
        [
            "title": "Botnet C2 at 198.51.100.100 — 東京の観測", "classification": "malicious-code/c2-server",
            "tlp": "TLP:AMBER", "description": "Beaconing every 60 s from several hosts.",
            "observables": AnyEncodable([["value": "198.51.100.100"]]),
        ]
    }

    /// Sets SingCERT's emergency e-mail key through the API, as the team's admin would.
    static func publishKey(_ key: String, forum: TestForum, app: Application) async throws {
        let response = try await app.testing().send(
            .PATCH, "/api/v1/teams/singcert/contacts/\(forum.singcertContactID)",
            headers: forum.headers(.teamAdmin), body: json(["pgpKey": key]))
        try #require(response.status == .ok, "\(response.body.string)")
    }

    static func incident(_ number: String, forum: TestForum, app: Application) async throws -> IncidentDTO {
        try await app.testing().send(.GET, "/api/v1/incidents/\(number)", headers: forum.headers(.secretariat))
            .content.decode(IncidentDTO.self)
    }

    @Test(.needs(.python, .msmtp, .gpg)) func mailArrivesEncryptedAndSignedAndItsLinkAcknowledgesOnce() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        let singcert = try await RecipientKeyring.make("cert@sg.example")
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let forumKey = try await MailRig.configure(app, sink: sink)
            try await singcert.trust(forumKey.publicKey)
            try await Self.publishKey(singcert.publicKey, forum: forum, app: app)
            let reported = try await IncidentTests.report(Self.c2Report, as: .handler, forum: forum, app: app)
            let number = try reported.content.decode(IncidentDTO.self).number
            let queued = try await OutboxMessage.query(on: app.db).filter(\.$purpose == "assigned").all()
            #expect(queued.map(\.recipient) == ["cert@sg.example"])
            #expect(queued.allSatisfy { $0.state == .pending && !$0.body.contains("/ack/") }, "no token at rest")

            // act
            let attempted = try await OutboxWorker(application: app).runDue(at: Date())

            // validate: one message, encrypted, signed by the forum, saying what it must
            #expect(attempted == 1)
            let mail = try #require(try await sink.waitFor(1).first)
            #expect(
                ReceivedMail.header("Subject", in: mail)
                    == "[TLP:AMBER] \(number) for SingCERT: malicious-code/c2-server")
            #expect(ReceivedMail.header("From", in: mail) == MailRig.from)
            #expect(
                ReceivedMail.header("Message-ID", in: mail)
                    == "<\(try queued[0].requireID().uuidString.lowercased())@forum.test>")
            #expect(ReceivedMail.header("Content-Type", in: mail)?.hasPrefix("multipart/encrypted") == true)
            #expect(!mail.contains("Botnet") && !mail.contains("198.51.100.100"), "nothing of the incident in clear")
            let armored = try #require(ReceivedMail.armored("PGP MESSAGE", in: mail))
            let (status, plaintext) = try await singcert.decrypt(armored)
            #expect(status.contains("DECRYPTION_OKAY"))
            #expect(status.contains("GOODSIG"))
            #expect(status.contains("VALIDSIG \(forumKey.fingerprint)"))
            let text = ReceivedMail.text(ofEntity: plaintext)
            #expect(text.hasPrefix("TLP:AMBER\n"))
            #expect(text.contains("Title:          Botnet C2 at 198.51.100.100 — 東京の観測"))
            #expect(text.contains("  198.51.100.100 in 198.51.100.96/27 of SingCERT"))
            #expect(text.contains("Incident page: http://concord.test/incidents/\(number)"))
            let link = try #require(text.split(separator: "\n").first { $0.contains("http://concord.test/ack/") })
            let path = String(link.trimmingCharacters(in: .whitespaces).dropFirst("http://concord.test".count))
            let sent = try #require(try await OutboxMessage.find(queued[0].requireID(), on: app.db))
            #expect(sent.state == .sent && sent.encrypted == true && sent.attempts == 1)

            // act: the duty handler follows the link, then someone uses it again
            let visitor = try await WebSession.start(app, as: .anonymous)
            let page = try await visitor.send(.GET, path, form: [:], app: app)
            let first = try await visitor.send(.POST, path, form: [:], app: app)
            let second = try await visitor.send(.POST, path, form: [:], app: app)
            let forged = try await visitor.send(.GET, String(path.dropLast(2)) + "xx", form: [:], app: app)

            // validate
            #expect(page.status == .ok && page.body.string.contains("Acknowledge for SingCERT"))
            #expect(first.status == .ok && first.body.string.contains("Acknowledged for SingCERT"))
            #expect(second.status == .conflict && second.body.string.contains("used already"))
            #expect(forged.status == .notFound)
            let shown = try await Self.incident(number, forum: forum, app: app)
            #expect(shown.assignments.first { $0.team == "singcert" }?.state.rawValue == "acknowledged")
            #expect(
                shown.timeline.contains {
                    $0.actor == "cert@sg.example (link in e-mail)" && $0.text == "SingCERT: acknowledged"
                })
            #expect(
                shown.timeline.contains {
                    $0.actor == "outbox" && $0.text == "SingCERT notified by e-mail (OpenPGP-encrypted)"
                })
            let update = try await OutboxMessage.query(on: app.db).filter(\.$purpose == "update").all()
            #expect(update.map(\.subject) == ["[TLP:AMBER] \(number): SingCERT acknowledged"], "the reporter is told")
        }
        await singcert.remove()
    }

    @Test(.needs(.python, .msmtp, .gpg)) func aContactWithoutAKeyGetsSignedMailAndTheIncidentSaysSo() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        let checker = try await RecipientKeyring.make("checker@sg.example")
        try await withApp { app in
            // setup: SingCERT's contact has no key
            let forum = try await TestForum.seed(app)
            let forumKey = try await MailRig.configure(app, sink: sink)
            try await checker.trust(forumKey.publicKey)
            let number = try await IncidentTests.report(Self.c2Report, as: .handler, forum: forum, app: app)
                .content.decode(IncidentDTO.self).number

            // act
            try await OutboxWorker(application: app).runDue(at: Date())

            // validate: multipart/signed whose first part carries a good signature by the forum key
            let mail = try #require(try await sink.waitFor(1).first)
            let boundary = try #require(ReceivedMail.boundary(of: mail))
            #expect(
                ReceivedMail.header("Content-Type", in: mail)?.hasPrefix("multipart/signed; micalg=pgp-sha256") == true)
            // the signed entity is exactly what lies between the first two delimiters (RFC 2046: the CRLF
            // before a delimiter belongs to the delimiter)
            let signedEntity = try #require(ReceivedMail.firstPart(of: mail, boundary: boundary))
            let signature = try #require(ReceivedMail.armored("PGP SIGNATURE", in: mail))
            let status = try await checker.verify(signature: signature, data: Data(signedEntity.utf8))
            #expect(status.contains("GOODSIG") && status.contains("VALIDSIG \(forumKey.fingerprint)"))
            #expect(ReceivedMail.text(ofEntity: signedEntity).contains("198.51.100.100 in 198.51.100.96/27"))
            let shown = try await Self.incident(number, forum: forum, app: app)
            #expect(
                shown.timeline.contains {
                    $0.text
                        == "SingCERT notified by e-mail (signed only, NOT encrypted: the contact has no OpenPGP key)"
                })
            let sent = try await OutboxMessage.query(on: app.db).filter(\.$purpose == "assigned").first()
            #expect(sent?.encrypted == false)
        }
        await checker.remove()
    }

    @Test(.needs(.python, .msmtp, .gpg))
    func whenEncryptionIsRequiredMailWithoutAKeyIsWithheldAndTheSecretariatAlerted() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        let secretariat = try await RecipientKeyring.make("duty@jpcert.test")
        try await withApp { app in
            // setup: the forum requires encryption; the secretariat has a keyed contact, SingCERT none
            let forum = try await TestForum.seed(app)
            try await MailRig.configure(app, sink: sink)
            app.concord.mail.requireEncryption = true
            let added = try await app.testing().send(
                .POST, "/api/v1/teams/jpcert-cc/contacts", headers: forum.headers(.forumAdmin),
                body: json(
                    [
                        "kind": "emergency-email", "value": "duty@jpcert.test", "availability": "24x7",
                        "published": AnyEncodable(false), "pgpKey": AnyEncodable(secretariat.publicKey),
                    ] as [String: AnyEncodable]))
            try #require(added.status == .created, "\(added.body.string)")
            let number = try await IncidentTests.report(Self.c2Report, as: .handler, forum: forum, app: app)
                .content.decode(IncidentDTO.self).number

            // act: the first run withholds SingCERT's mail and queues the alert; the second sends it
            try await OutboxWorker(application: app).runDue(at: Date())
            try await OutboxWorker(application: app).runDue(at: Date())

            // validate
            let withheld = try await OutboxMessage.query(on: app.db).filter(\.$purpose == "assigned").first()
            #expect(withheld?.state == .withheld)
            let mails = try await sink.waitFor(1)
            #expect(mails.count == 1, "only the alert leaves")
            #expect(
                ReceivedMail.header("Subject", in: mails.first ?? "")
                    == "[TLP:AMBER] \(number): mail to SingCERT withheld, no usable OpenPGP key")
            let (_, plaintext) = try await secretariat.decrypt(
                try #require(ReceivedMail.armored("PGP MESSAGE", in: mails.first ?? "")))
            #expect(ReceivedMail.text(ofEntity: plaintext).contains("cert@sg.example has no usable OpenPGP key"))
            let shown = try await Self.incident(number, forum: forum, app: app)
            #expect(
                shown.timeline.contains { $0.text.hasPrefix("e-mail to SingCERT WITHHELD: encryption is required") })
        }
        await secretariat.remove()
    }
}
