import ConcordCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// General meetings (issue 19 §3): convened with notice; teams check in or give a proxy (at most
/// two to one holder); no vote opens below quorum and each keeps the check it opened with;
/// amendments are voted before their motion; each voting member present or represented votes once,
/// by name; the count is judged by the majority its kind needs; carried motions become numbered
/// resolutions. Concurrent votes, proxies and closes are decided by the database.
@Suite struct GovernanceMeetingTests {
    static func decode(_ response: TestingHTTPResponse) throws -> MotionDTO {
        try response.content.decode(MotionDTO.self)
    }

    @Test func anAGMRunsFromQuorumToResolutions() async throws {
        try await withApp { app in
            // setup
            let rig = try await MeetingRig.make(app)

            // act and validate, step by step as the meeting goes
            app.clock = FixedClock(MeetingRig.convened)
            let again = try await rig.send(
                .POST, "/governance/meetings",
                ["title": "AGM", "startsAt": "2027-02-20T00:00:00Z", "timeZone": "Asia/Tokyo"], as: .secretariat)
            #expect(again.status == .conflict && again.body.string.contains("AGM-2027 is convened already"))
            let short = try await rig.send(
                .POST, "/governance/meetings",
                [
                    "kind": "extraordinary", "title": "EGM", "startsAt": "2026-12-20T00:00:00Z",
                    "timeZone": "Asia/Kolkata",
                ],
                as: .secretariat)
            #expect(short.status == .unprocessableEntity && short.body.string.contains("30 days' notice"))
            let badZone = try await rig.send(
                .POST, "/governance/meetings",
                [
                    "kind": "extraordinary", "title": "EGM", "startsAt": "2027-02-20T00:00:00Z",
                    "timeZone": "Mars/Olympus",
                ],
                as: .secretariat)
            #expect(badZone.status == .unprocessableEntity)
            app.clock = FixedClock(MeetingRig.meetingDay)
            let early = try await rig.meeting(
                "motions", ["mover": "singcert", "title": "t", "text": "x"], as: .handler)
            #expect(early.status == .conflict || early.status == .unprocessableEntity)
            #expect(try await rig.meeting("open", as: .handler).status == .forbidden)
            #expect(try await rig.meeting("open").status == .ok)
            #expect(try await rig.read().localStart == "2027-01-20 09:00 (Asia/Tokyo, UTC+09:00)")

            // attendance
            #expect(
                try await rig.meeting("attendance", ["team": "singcert", "mode": "online"], as: .handler).status
                    == .created)
            #expect(try await rig.meeting("attendance", ["team": "nuscert"], as: .handler).status == .forbidden)
            #expect(try await rig.meeting("attendance", ["team": "singcert"], as: .observer).status == .forbidden)
            #expect(try await rig.meeting("attendance", ["team": "singcert"], as: .teamAdmin).status == .conflict)
            #expect(try await rig.meeting("attendance", ["team": "jpcert-cc"]).status == .created)
            #expect(try await rig.meeting("attendance", ["team": "general-1"]).status == .created)
            let proxy = try await rig.meeting(
                "proxies", ["giver": "nuscert", "holder": "singcert"], as: .teamAdminOther)
            #expect(proxy.status == .created, "\(proxy.body.string)")
            let toAbsent = try await rig.meeting("proxies", ["giver": "full-3", "holder": "full-4"])
            #expect(toAbsent.status == .conflict && toAbsent.body.string.contains("not present"))
            let general = try await rig.meeting("proxies", ["giver": "general-1", "holder": "singcert"])
            #expect(general.status == .unprocessableEntity && general.body.string.contains("holds no vote"))

            // a motion, below quorum
            let moved = try await rig.meeting(
                "motions",
                [
                    "mover": "singcert", "seconder": "jpcert-cc", "title": "The 2027 work plan",
                    "text": "Adopt the plan.",
                ],
                as: .handler)
            #expect(moved.status == .created)
            #expect(try Self.decode(moved).reference == "AGM-2027-M1")
            let below = try await rig.motion("AGM-2027-M1", "open")
            #expect(below.status == .conflict)
            #expect(
                below.body.string.contains(
                    "no vote opens below quorum: 3 of 7 voting members present or represented; quorum 4"))
            #expect(try await rig.meeting("attendance", ["team": "full-1"]).status == .created)

            // the amendment first
            let amendment = try await rig.meeting(
                "motions",
                [
                    "mover": "jpcert-cc", "seconder": "singcert", "amends": "AGM-2027-M1",
                    "title": "The drill in March",
                    "text": "Adopt the plan, with the drill in March.",
                ])
            #expect(amendment.status == .created)
            #expect(try Self.decode(amendment).amends == "AGM-2027-M1")
            let motionFirst = try await rig.motion("AGM-2027-M1", "open")
            #expect(motionFirst.status == .conflict && motionFirst.body.string.contains("AGM-2027-M2 is voted before"))
            let opened = try await rig.motion("AGM-2027-M2", "open")
            #expect(opened.status == .ok, "\(opened.body.string)")
            #expect(
                (try Self.decode(opened)).quorumAtOpening == "4 of 7 voting members present or represented; quorum 4")

            // named votes
            #expect(try await rig.motion("AGM-2027-M2", "votes", ["choice": "yes"], as: .handler).status == .created)
            #expect(
                try await rig.motion("AGM-2027-M2", "votes", ["choice": "yes", "team": "nuscert"], as: .handler).status
                    == .created)
            #expect(try await rig.motion("AGM-2027-M2", "votes", ["choice": "no"], as: .teamAdmin).status == .conflict)
            #expect(try await rig.motion("AGM-2027-M2", "votes", ["choice": "no"], as: .observer).status == .forbidden)
            #expect(
                try await rig.motion("AGM-2027-M2", "votes", ["choice": "no"], as: .teamAdminOther).status == .forbidden
            )
            let maybe = try await rig.motion("AGM-2027-M2", "votes", ["choice": "maybe"], as: .teamAdmin)
            #expect(maybe.status == .badRequest && maybe.body.string.contains("choice"))
            #expect(
                try await rig.motion("AGM-2027-M2", "votes", ["choice": "yes", "team": "jpcert-cc"]).status == .created)
            #expect(
                try await rig.motion("AGM-2027-M2", "votes", ["choice": "no", "team": "full-1"]).status == .created)
            let ineligible = try await rig.motion("AGM-2027-M2", "votes", ["choice": "yes", "team": "general-1"])
            #expect(ineligible.status == .conflict && ineligible.body.string.contains("holds no vote"))
            #expect(try await rig.meeting("attendance", ["team": "full-2"]).status == .created)
            let late = try await rig.motion("AGM-2027-M2", "votes", ["choice": "yes", "team": "full-2"])
            #expect(late.status == .conflict && late.body.string.contains("when the vote on AGM-2027-M2 opened"))
            let during = try await rig.read().motions.first { $0.reference == "AGM-2027-M2" }
            #expect(
                during?.votesCast == 4 && during?.votes.isEmpty == true, "choices stay unseen while the vote is open")
            #expect(try await rig.meeting("close").status == .conflict, "a vote is still open")

            // the amendment carries and becomes the motion's text
            let amended = try Self.decode(try await rig.motion("AGM-2027-M2", "close"))
            #expect(amended.state == "carried" && amended.yes == 3 && amended.no == 1 && amended.required == 3)
            #expect(amended.resolution == nil, "an amendment is not a resolution")
            #expect(amended.votes.map(\.team) == ["full-1", "jpcert-cc", "nuscert", "singcert"])
            #expect(amended.votes.first { $0.team == "nuscert" }?.byProxy == "singcert")
            #expect(
                try await rig.read().motions.first { $0.reference == "AGM-2027-M1" }?.text
                    == "Adopt the plan, with the drill in March.")

            // the motion ties and fails
            #expect(try await rig.motion("AGM-2027-M1", "open").status == .ok)
            for (team, choice) in [
                ("singcert", "yes"), ("nuscert", "no"), ("jpcert-cc", "yes"), ("full-1", "no"), ("full-2", "abstain"),
            ] {
                #expect(
                    try await rig.motion("AGM-2027-M1", "votes", ["choice": choice, "team": team]).status == .created)
            }
            let tied = try Self.decode(try await rig.motion("AGM-2027-M1", "close"))
            #expect(
                tied.state == "failed" && tied.yes == 2 && tied.no == 2 && tied.abstain == 1 && tied.resolution == nil)
            #expect(tied.quorumAtOpening == "5 of 7 voting members present or represented; quorum 4")

            // a motion that carries is a numbered resolution
            _ = try await rig.meeting(
                "motions", ["mover": "full-1", "title": "Thanks to the host", "text": "The forum thanks its host."])
            #expect(try await rig.motion("AGM-2027-M3", "open").status == .conflict, "no seconder yet")
            #expect(try await rig.motion("AGM-2027-M3", "second", ["team": "full-1"]).status == .unprocessableEntity)
            #expect(try await rig.motion("AGM-2027-M3", "second", ["team": "full-2"]).status == .ok)
            #expect(try await rig.motion("AGM-2027-M3", "second", ["team": "jpcert-cc"]).status == .conflict)
            #expect(try await rig.motion("AGM-2027-M3", "open").status == .ok)
            for team in ["singcert", "jpcert-cc", "full-1"] {
                _ = try await rig.motion("AGM-2027-M3", "votes", ["choice": "yes", "team": team])
            }
            let resolution = try Self.decode(try await rig.motion("AGM-2027-M3", "close"))
            #expect(resolution.state == "carried" && resolution.resolution == "AGM-2027-R1")
            #expect(
                try await rig.motion("AGM-2027-M3", "votes", ["choice": "no", "team": "full-2"]).status == .conflict)

            // the meeting closes
            #expect(try await rig.meeting("close").status == .ok)
            let after = try await rig.meeting("motions", ["mover": "singcert", "title": "t", "text": "x"])
            #expect(after.status == .conflict || after.status == .unprocessableEntity)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "governance.motion.vote").count()
            #expect(audit == 12)
        }
    }

    @Test func concurrentVotesProxiesAndClosesAreDecidedByTheDatabase() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup
            let rig = try await MeetingRig.make(app)
            try await rig.meeting("open")
            for team in ["jpcert-cc", "full-1", "full-2"] { try await rig.meeting("attendance", ["team": team]) }
            try await rig.meeting("attendance", ["team": "singcert"], as: .handler)
            try await rig.meeting(
                "motions", ["mover": "singcert", "seconder": "full-1", "title": "Plan", "text": "Adopt it."],
                as: .handler)
            #expect(try await rig.motion("AGM-2027-M1", "open").status == .ok)

            // act: six votes of one team; three proxies to one holder; votes racing the close
            let votes = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await rig.motion("AGM-2027-M1", "votes", ["choice": "yes"], as: .handler).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let proxies = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for giver in ["nuscert", "full-3", "full-4"] {
                    group.addTask { try await rig.meeting("proxies", ["giver": giver, "holder": "jpcert-cc"]).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let racing = try await withThrowingTaskGroup(of: (String, HTTPStatus).self) { group in
                for team in ["jpcert-cc", "full-1", "full-2"] {
                    group.addTask {
                        (team, try await rig.motion("AGM-2027-M1", "votes", ["choice": "no", "team": team]).status)
                    }
                }
                group.addTask { ("close", try await rig.motion("AGM-2027-M1", "close").status) }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            // validate
            #expect(votes.filter { $0 == .created }.count == 1 && votes.filter { $0 == .conflict }.count == 5)
            #expect(proxies.filter { $0 == .created }.count == 2 && proxies.filter { $0 == .conflict }.count == 1)
            let held = try await MeetingAttendance.query(on: app.db).filter(\.$mode == .proxy).all()
            #expect(Set(held.compactMap(\.proxySlot)) == [1, 2])
            #expect(racing.first { $0.0 == "close" }?.1 == .ok)
            let accepted = racing.filter { $0.0 != "close" && $0.1 == .created }.count
            #expect(racing.filter { $0.0 != "close" }.allSatisfy { $0.1 == .created || $0.1 == .conflict })
            let closed = try await rig.read().motions[0]
            #expect(
                (closed.yes ?? 0) + (closed.no ?? 0) + (closed.abstain ?? 0) == 1 + accepted,
                "every accepted vote counted")
            #expect(try await MotionVote.query(on: app.db).count() == 1 + accepted, "no vote stored after the close")
        }
    }
}

/// No sequence of API calls lets an ineligible team's vote count, opens a vote below quorum, or
/// declares a motion carried without its majority (issue 19 §7): random check-ins, proxies,
/// motions, openings, votes (from any team, by any actor) and closes, with the invariants checked
/// against the stored record after every run.
@Suite struct GovernanceMeetingPropertyTests {
    static let teams = ["jpcert-cc", "singcert", "nuscert", "full-1", "full-2", "full-3", "full-4", "general-1"]
    static let actors: [Actor] = [.secretariat, .handler, .teamAdminOther, .observer, .forumAdmin]

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func theRecordKeepsItsRules(seed: UInt64) async throws {
        try await withApp { app in
            // setup
            var rng = SplitMix64(seed: seed)
            let rig = try await MeetingRig.make(app)
            try await rig.meeting("open")
            var motions = 0
            func pick<T>(_ values: [T]) -> T { values[Int(rng.next() % UInt64(values.count))] }
            // Mostly calls that may succeed (the secretariat, voting members), some that must not.
            func someActor() -> Actor { rng.next() % 4 == 0 ? pick(Self.actors) : .secretariat }
            func someTeam() -> String { rng.next() % 8 == 0 ? "general-1" : pick(Array(Self.teams.dropLast())) }
            var present: [String] = []
            // Usually a team known to be present (movers and seconders must be), sometimes any.
            func presentTeam() -> String { present.isEmpty || rng.next() % 4 == 0 ? someTeam() : pick(present) }
            func someMotion() -> String {
                "AGM-2027-M\(rng.next() % 3 == 0 ? Int(rng.next() % UInt64(motions)) + 1 : motions)"
            }

            // act: twelve rounds of a meeting's shape, each call's content random: arrivals and
            // proxies, a motion, an attempt to open its vote, votes from any team by any actor, a close
            for _ in 0..<12 {
                for _ in 0..<Int(rng.next() % 4) + 1 {
                    if rng.next() % 3 == 0 {
                        _ = try await rig.meeting(
                            "proxies", ["giver": someTeam(), "holder": someTeam()], as: someActor())
                    } else {
                        let team = someTeam()
                        let arrival = try await rig.meeting(
                            "attendance", ["team": team, "mode": pick(["in-person", "online"])], as: someActor())
                        if arrival.status == .created { present.append(team) }
                    }
                }
                let response = try await rig.meeting(
                    "motions",
                    [
                        "mover": presentTeam(), "seconder": presentTeam(), "title": "Motion", "text": "Text.",
                        "kind": pick(["ordinary", "revocation", "constitution-change"]),
                    ],
                    as: someActor())
                if response.status == .created { motions += 1 }
                guard motions > 0 else { continue }
                let motion = someMotion()
                _ = try await rig.motion(motion, "open", as: someActor())
                for _ in 0..<Int(rng.next() % 10) {
                    _ = try await rig.motion(
                        rng.next() % 5 == 0 ? someMotion() : motion, "votes",
                        ["choice": pick(["yes", "no", "abstain"]), "team": someTeam()], as: someActor())
                }
                _ = try await rig.motion(rng.next() % 5 == 0 ? someMotion() : motion, "close", as: someActor())
            }

            // validate
            let general = try await DirectoryQueries.team(slug: "general-1", on: app.db)
            let votes = try await MotionVote.query(on: app.db).all()
            #expect(!votes.contains { $0.$team.id == general.id }, "a general member's vote is never stored")
            let stored = try await Motion.query(on: app.db).all()
            #expect(stored.filter { $0.judged != nil }.count >= 2, "the run judged motions")
            for motion in stored {
                let cast = votes.filter { $0.$motion.id == motion.id }
                #expect(cast.allSatisfy { motion.rollIDs.contains($0.$team.id) }, "only the roll votes")
                if let present = motion.presentAtOpening {
                    #expect(present >= (motion.quorumAtOpening ?? Int.max), "\(motion.reference) opened below quorum")
                    #expect(present == motion.rollIDs.count)
                }
                guard let judged = motion.judged else { continue }
                #expect(judged.count == VoteCount(cast.map(\.choice)), "the judgement counts the stored votes")
                let threshold = judged.majority.threshold
                let met =
                    threshold.comparison == .moreThan
                    ? judged.count.yes * threshold.denominator > threshold.numerator * judged.base
                    : judged.count.yes * threshold.denominator >= threshold.numerator * judged.base
                if motion.state == .carried {
                    #expect(met && judged.count.yes > 0, "\(motion.reference) carried short")
                }
                if motion.state == .failed { #expect(!met || judged.count.yes == 0) }
                let rules = Constitution.seedsForum(effectiveOn: "2003-02-01")
                #expect(judged.majority == rules.majority(for: motion.kind, atMeeting: true))
            }
        }
    }
}

/// The meeting in the browser: the secretariat convenes it on /governance and runs it from its
/// page; a team's representative checks its team in and votes for it; the page shows the quorum,
/// the motions and, once a vote closes, every named vote.
@Suite struct GovernanceMeetingWebTests {
    @Test func aMeetingIsRunFromItsPage() async throws {
        try await withApp { app in
            // setup
            _ = try await MeetingRig.make(app)
            app.clock = FixedClock(MeetingRig.convened)
            let desk = try await WebSession.start(app, as: .secretariat)
            let handler = try await WebSession.start(app, as: .handler)
            let page = "/governance/meetings/AGM-2027"

            // act
            let short = try await desk.send(
                .POST, "/governance/meetings",
                form: ["kind": "extraordinary", "title": "EGM", "date": "2026-12-20", "timeZone": "Asia/Kolkata"],
                app: app)
            let shortPage = try await desk.send(.GET, "/governance", form: [:], app: app)
            let convened = try await desk.send(
                .POST, "/governance/meetings",
                form: [
                    "kind": "extraordinary", "title": "Extraordinary meeting", "date": "2027-02-10", "time": "14:30",
                    "timeZone": "Asia/Kathmandu",
                ], app: app)
            app.clock = FixedClock(MeetingRig.meetingDay)
            let forged = try await desk.send(.POST, "\(page)/open", form: [:], csrf: "forged", app: app)
            _ = try await desk.send(.POST, "\(page)/open", form: [:], app: app)
            let checkedIn = try await handler.send(
                .POST, "\(page)/attendance", form: ["team": "singcert", "mode": "online"], app: app)
            for team in ["jpcert-cc", "full-1", "full-2"] {
                _ = try await desk.send(.POST, "\(page)/attendance", form: ["team": team], app: app)
            }
            let again = try await handler.send(.POST, "\(page)/attendance", form: ["team": "singcert"], app: app)
            _ = try await handler.send(
                .POST, "\(page)/motions",
                form: [
                    "mover": "singcert", "seconder": "jpcert-cc", "kind": "ordinary", "title": "Work plan",
                    "text": "Adopt the 2027 work plan.",
                ], app: app)
            _ = try await desk.send(.POST, "/governance/motions/AGM-2027-M1/open", form: [:], app: app)
            let open = try await handler.send(.GET, page, form: [:], app: app)
            let voted = try await handler.send(
                .POST, "/governance/motions/AGM-2027-M1/votes", form: ["team": "singcert", "choice": "yes"], app: app)
            for team in ["jpcert-cc", "full-1"] {
                _ = try await desk.send(
                    .POST, "/governance/motions/AGM-2027-M1/votes", form: ["team": team, "choice": "yes"], app: app)
            }
            _ = try await desk.send(.POST, "/governance/motions/AGM-2027-M1/close", form: [:], app: app)
            let closed = try await handler.send(.GET, page, form: [:], app: app)

            // validate
            #expect(short.status == .seeOther)
            #expect(shortPage.body.string.contains("Not convened: startsAt: the constitution requires 30 days"))
            #expect(
                convened.status == .seeOther
                    && convened.headers.first(name: .location) == "/governance/meetings/EGM-2027-02-10")
            let egm = try await GeneralMeeting.query(on: app.db).filter(\.$reference == "EGM-2027-02-10").first()
            #expect(egm?.startsAt == Date(timeIntervalSince1970: 1_802_249_100), "14:30 in Kathmandu is 08:45 UTC")
            #expect(forged.status == .forbidden)
            #expect(checkedIn.status == .seeOther)
            #expect(
                again.status == .conflict && again.body.string.contains("is present or represented at AGM-2027 already")
            )
            let during = open.body.string
            #expect(
                during.contains("Quorum: 4 of 7 voting members present or represented; quorum 4 (at least 1/2): met"))
            #expect(
                during.contains("0 votes cast so far")
                    && during.contains(#"<button class="vote" type="submit">Vote</button>"#))
            #expect(!during.contains(#"id="desk""#), "the chair's desk is the secretariat's")
            #expect(voted.status == .seeOther)
            let after = closed.body.string
            #expect(after.contains("AGM-2027-R1") && after.contains("Yes 3 · No 0 · Abstain 0 · needed 2"))
            #expect(after.contains("<li>SingCERT: yes</li>"))
        }
    }
}

/// A meeting's minutes come from its record alone (issue 19 §3): the same record gives the same JSON,
/// which the forum key signs (checked with GnuPG against the forum's public key); the HTML and the
/// PDF say the same; drafts are the forum-wide roles' alone.
@Suite struct GovernanceMinutesTests {
    @Test(.needs(.gpg)) func theMinutesAreTheRecordSignedByTheForum() async throws {
        try await withApp { app in
            // setup: a meeting with a carried motion; the forum's key; a member's own keyring
            let rig = try await MeetingRig.make(app)
            app.reportPrinter = TextPrinter()
            _ = try await ForumKey(app.concord, gnupg: app.gnupg).create(name: "Minutes forum", email: "f@forum.test")
            let member = try await RecipientKeyring.make("duty@sg.example")
            defer { Task { await member.remove() } }
            try await rig.meeting("open")
            for team in ["jpcert-cc", "singcert", "full-1", "full-2"] {
                try await rig.meeting("attendance", ["team": team])
            }
            try await rig.meeting(
                "motions", ["mover": "singcert", "seconder": "full-1", "title": "Work plan", "text": "Adopt the plan."])
            try await rig.motion("AGM-2027-M1", "open")
            for team in ["jpcert-cc", "singcert", "full-1"] {
                try await rig.motion("AGM-2027-M1", "votes", ["choice": "yes", "team": team])
            }
            try await rig.motion("AGM-2027-M1", "votes", ["choice": "no", "team": "full-2"])
            try await rig.motion("AGM-2027-M1", "close")
            try await rig.meeting("close")
            let path = "/governance/meetings/AGM-2027/minutes"

            // act
            let json = try await rig.send(.GET, "\(path)/minutes.json", as: .secretariat)
            let again = try await rig.send(.GET, "\(path)/minutes.json", as: .forumAdmin)
            let signature = try await rig.send(.GET, "\(path)/minutes.json.asc", as: .secretariat)
            let html = try await rig.send(.GET, "\(path)/minutes.html", as: .secretariat)
            let pdf = try await rig.send(.GET, "\(path)/minutes.pdf", as: .secretariat)
            let byHandler = try await rig.send(.GET, "\(path)/minutes.json", as: .handler)
            let unknown = try await rig.send(.GET, "\(path)/minutes.exe", as: .secretariat)
            try await member.trust(try await ForumKey(app.concord, gnupg: app.gnupg).publicKey())
            let verified = try await member.verify(
                signature: signature.body.string, data: Data(buffer: json.body))

            // validate
            #expect(json.status == .ok && json.body.string == again.body.string, "the same record, the same bytes")
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let minutes = try decoder.decode(MinutesDocument.self, from: Data(buffer: json.body))
            #expect(minutes.state == "draft" && minutes.constitutionVersion == 1)
            #expect(minutes.resolutions.map(\.reference) == ["AGM-2027-R1"])
            #expect(minutes.meeting.motions[0].votes.count == 4 && minutes.meeting.attendance.count == 4)
            #expect(verified.contains("GOODSIG"), "\(verified)")
            let tampered = try await member.verify(
                signature: signature.body.string,
                data: Data(json.body.string.replacingOccurrences(of: "Adopt the plan.", with: "Adopt no plan.").utf8))
            #expect(tampered.contains("BADSIG"))
            let page = html.body.string
            #expect(
                page.contains("draft minutes")
                    && page.contains("<strong>AGM-2027-R1</strong> (AGM-2027-M1): Work plan."))
            #expect(page.contains("carried: yes 3, no 1, abstain 0; 3 needed."))
            #expect(page.contains("The vote opened with 4 of 7 voting members present or represented; quorum 4."))
            #expect(pdf.headers.contentType?.description == "application/pdf" && pdf.body.string.hasPrefix("%PDF"))
            #expect(byHandler.status == .forbidden, "draft minutes are the forum-wide roles' alone")
            #expect(unknown.status == .notFound)
        }
    }
}
