import ConcordCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Elections at a general meeting (issue 19 §5): nominations seconded and checked for the right to
/// stand and the term limit; the ballot opens only after nominations and at quorum; each team on
/// the roll votes once in secret, by its representative or its proxy holder; the close publishes a
/// hash-chained board that recounts to the result, and the elected take their terms.
@Suite struct ElectionTests {
    /// Nominations close an hour into the meeting's day.
    static let nominationsClose = MeetingRig.meetingDay.addingTimeInterval(3_600)

    static func call(_ rig: MeetingRig, _ body: [String: Any]) async throws -> TestingHTTPResponse {
        var body = body
        body["meeting"] = body["meeting"] ?? "AGM-2027"
        body["nominationsCloseAt"] = body["nominationsCloseAt"] ?? "2027-01-20T01:00:00Z"
        return try await rig.send(.POST, "/elections", body, as: .secretariat)
    }

    static func post(
        _ rig: MeetingRig, _ reference: String, _ what: String, _ body: [String: Any]? = [:],
        as actor: Actor = .secretariat
    ) async throws -> TestingHTTPResponse {
        try await rig.send(.POST, "/elections/\(reference)/\(what)", body, as: actor)
    }

    static func read(_ rig: MeetingRig, _ reference: String, as actor: Actor = .observer) async throws -> ElectionDTO {
        try await rig.send(.GET, "/elections/\(reference)", as: actor).content.decode(ElectionDTO.self)
    }

    /// A caller acting for `slug` as its handler (the teams the test forum has no users for).
    static func handler(of slug: String, _ app: Application) async throws -> Caller {
        let team = try #require(try await Team.query(on: app.db).filter(\.$slug == slug).first())
        let principal = Principal(
            userID: UUID(), email: "handler@\(slug).example", teamID: try team.requireID(), role: .handler,
            scopes: [.read, .write], nationalTeams: [])
        return Caller(
            principal: principal, policy: Policy(principal: principal), db: app.db, clock: app.clock, app: app,
            actor: .init(name: principal.email, userID: nil, remoteAddress: nil, clock: app.clock))
    }

    /// The meeting open with `present` checked in by the secretariat and NUSCERT's proxy with SingCERT.
    static func openMeeting(_ rig: MeetingRig, present: [String]) async throws {
        #expect(try await rig.meeting("open").status == .ok)
        for team in present { #expect(try await rig.meeting("attendance", ["team": team]).status == .created) }
        #expect(
            try await rig.meeting("proxies", ["giver": "nuscert", "holder": "singcert"], as: .teamAdminOther).status
                == .created)
    }

    @Test func aChairElectionRunsFromNominationsToTheBoard() async throws {
        try await withApp { app in
            // setup: JPCERT/CC has chaired two terms in a row
            let rig = try await MeetingRig.make(app)
            let jpcert = try #require(try await Team.query(on: app.db).filter(\.$slug == "jpcert-cc").first())
            for (start, end) in [("2025-01-20", "2026-01-19"), ("2026-01-20", "2027-01-19")] {
                try await OfficeTerm(
                    office: "chair", seatClass: nil, teamID: jpcert.requireID(), holder: "Chair", startsOn: start,
                    endsOn: end, source: "before Concord"
                ).create(on: app.db)
            }
            app.clock = FixedClock(MeetingRig.convened)

            // act and validate: calling
            let bad = try await Self.call(rig, ["office": "treasurer", "nominationsCloseAt": "2020-01-01T00:00:00Z"])
            #expect(bad.status == .unprocessableEntity)
            for field in ["office", "method", "nominationsCloseAt"] { #expect(bad.body.string.contains(field)) }
            #expect(
                try await rig.send(.POST, "/elections", ["meeting": "AGM-2027", "office": "chair"], as: .handler)
                    .status == .forbidden)
            let called = try await Self.call(rig, ["office": "chair", "method": "plurality"])
            #expect(called.status == .created, "\(called.body.string)")
            let election = try called.content.decode(ElectionDTO.self)
            #expect(election.reference == "AGM-2027-E1" && election.seats == 1)
            #expect(election.termStartsOn == "2027-01-20" && election.termEndsOn == "2028-01-19")

            // nominations
            let nominate = { (body: [String: Any], actor: Actor) in
                try await Self.post(rig, "AGM-2027-E1", "nominations", body, as: actor)
            }
            #expect(
                try await nominate(["holder": "Tan", "statement": "Twenty years of incident response."], .handler)
                    .status == .created)
            let general = try await nominate(["team": "general-1", "holder": "G", "statement": "s"], .secretariat)
            #expect(general.status == .unprocessableEntity && general.body.string.contains("may not stand"))
            let third = try await nominate(["team": "jpcert-cc", "holder": "J", "statement": "s"], .secretariat)
            #expect(third.status == .unprocessableEntity && third.body.string.contains("3 consecutive terms"))
            #expect(
                try await nominate(["holder": "", "statement": "s"], .teamAdminOther).status == .unprocessableEntity)
            #expect(
                try await nominate(["holder": "Lee", "statement": "Research and the region."], .teamAdminOther).status
                    == .created)
            #expect(try await nominate(["holder": "Tan", "statement": "again"], .teamAdmin).status == .conflict)
            #expect(try await nominate(["holder": "O", "statement": "s"], .observer).status == .forbidden)
            let own = try await Self.post(rig, "AGM-2027-E1", "nominations/singcert/second", as: .handler)
            #expect(own.status == .conflict, "a candidate does not second itself")
            #expect(
                try await Self.post(rig, "AGM-2027-E1", "nominations/singcert/second", as: .teamAdminOther).status
                    == .ok)
            #expect(try await Self.post(rig, "AGM-2027-E1", "nominations/nuscert/second").status == .ok)
            #expect(
                try await Self.post(rig, "AGM-2027-E1", "nominations/nuscert/second", as: .handler).status == .conflict)

            // the ballot opens after nominations, at the open meeting, at quorum
            app.clock = FixedClock(MeetingRig.meetingDay)
            #expect(try await Self.post(rig, "AGM-2027-E1", "open").status == .conflict)
            app.clock = FixedClock(Self.nominationsClose)
            #expect(
                try await Self.post(
                    rig, "AGM-2027-E1", "nominations", ["holder": "x", "statement": "y"], as: .teamAdmin
                ).status == .conflict)
            #expect(try await Self.post(rig, "AGM-2027-E1", "open").body.string.contains("not open"))
            #expect(try await rig.meeting("open").status == .ok)
            #expect(try await rig.meeting("attendance", ["team": "singcert"]).status == .created)
            let below = try await Self.post(rig, "AGM-2027-E1", "open")
            #expect(below.status == .conflict && below.body.string.contains("no quorum: 1 of 7"))
            for team in ["jpcert-cc", "full-1"] {
                #expect(try await rig.meeting("attendance", ["team": team]).status == .created)
            }
            #expect(
                try await rig.meeting("proxies", ["giver": "nuscert", "holder": "singcert"], as: .teamAdminOther).status
                    == .created)
            let opened = try await Self.post(rig, "AGM-2027-E1", "open")
            #expect(opened.status == .ok, "\(opened.body.string)")
            let open = try opened.content.decode(ElectionDTO.self)
            #expect(open.roll == ["full-1", "jpcert-cc", "nuscert", "singcert"] && open.presentAtOpening == 4)
            #expect(Set(open.lot ?? []) == ["nuscert", "singcert"])
            #expect(open.rollSHA256 == VoteRoll.digest(["full-1", "jpcert-cc", "nuscert", "singcert"]))

            // secret ballots
            let ballot = { (body: [String: Any], actor: Actor) in
                try await Self.post(rig, "AGM-2027-E1", "ballots", body, as: actor)
            }
            #expect(try await ballot(["choices": ["singcert"]], .secretariat).status == .forbidden)
            #expect(try await ballot(["choices": ["singcert"]], .observer).status == .forbidden)
            let two = try await ballot(["choices": ["singcert", "nuscert"]], .handler)
            #expect(two.status == .unprocessableEntity && two.body.string.contains("2 candidates marked for 1 seats"))
            let stranger = try await ballot(["choices": ["jpcert-cc"]], .handler)
            #expect(stranger.status == .unprocessableEntity && stranger.body.string.contains("not a candidate"))
            let cast = try await ballot(["choices": ["singcert"]], .handler)
            #expect(cast.status == .created)
            let receipt = try cast.content.decode(ElectionBallotReceiptDTO.self)
            #expect(receipt.trackingCode.wholeMatch(of: /[0-9A-Z]{4}(-[0-9A-Z]{4}){3}/) != nil)
            #expect(try await ballot(["choices": ["nuscert"]], .teamAdmin).status == .conflict)
            #expect(try await ballot(["choices": ["nuscert"]], .teamAdminOther).status == .forbidden, "by proxy")
            #expect(try await ballot(["choices": ["nuscert"], "team": "nuscert"], .handler).status == .created)
            _ = try await ElectionBallots.cast(
                "AGM-2027-E1", choices: ["singcert"], team: nil, caller: try await Self.handler(of: "jpcert-cc", app))
            _ = try await ElectionBallots.cast(
                "AGM-2027-E1", choices: [], team: nil, caller: try await Self.handler(of: "full-1", app))
            let during = try await Self.read(rig, "AGM-2027-E1")
            #expect(during.voted == ["full-1", "jpcert-cc", "nuscert", "singcert"] && during.result == nil)
            #expect(try await rig.send(.GET, "/elections/AGM-2027-E1/board", as: .anonymous).status == .conflict)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "governance.election.ballot").all()
            #expect(audit.count == 4 && audit.allSatisfy { !$0.summary.contains("singcert,") })
            #expect(audit.allSatisfy { !$0.summary.contains(receipt.trackingCode) })

            // the close: the board, the result, the term
            #expect(try await Self.post(rig, "AGM-2027-E1", "close", as: .handler).status == .forbidden)
            let closed = try await Self.post(rig, "AGM-2027-E1", "close")
            #expect(closed.status == .ok, "\(closed.body.string)")
            let result = try #require(try closed.content.decode(ElectionDTO.self).result)
            #expect(result.elected == ["singcert"] && result.votes == ["singcert": 2, "nuscert": 1])
            #expect(result.ballots == 4 && result.blankBallots == 1)
            let published = try await rig.send(.GET, "/elections/AGM-2027-E1/board", as: .anonymous)
            #expect(published.status == .ok)
            let board = try published.content.decode(ElectionBoard.self)
            #expect(board.verify() == .matches(ballots: 4, elected: ["singcert"]))
            #expect(board.entry(trackingCode: receipt.trackingCode.lowercased())?.choices == ["singcert"])
            #expect(board.entries.map(\.trackingCode) == board.entries.map(\.trackingCode).sorted())
            let sql = try #require(app.db as? any SQLDatabase)
            #expect(try await sql.raw("SELECT tracking_code FROM election_ballots").all().isEmpty)
            let terms = try await OfficeTerm.query(on: app.db).filter(\.$office == "chair")
                .filter(\.$startsOn == "2027-01-20").with(\.$team).all()
            #expect(terms.map(\.team.slug) == ["singcert"] && terms.first?.holder == "Tan")
            #expect(terms.first?.endsOn == "2028-01-19" && terms.first?.source.hasPrefix("AGM-2027-E1") == true)
            #expect(try await Self.post(rig, "AGM-2027-E1", "close").status == .conflict)

            // a changed ballot breaks the chain at it
            var entries = board.entries
            let changed = entries.firstIndex { $0.choices == ["nuscert"] }!
            entries[changed] = .init(
                trackingCode: entries[changed].trackingCode, choices: ["singcert"], hash: entries[changed].hash)
            let forged = try Self.replacing(entries: entries, in: board)
            #expect(forged.verify() == .brokenLink(index: changed, trackingCode: entries[changed].trackingCode))
        }
    }

    /// The board with other entries (as a forger would write the file).
    static func replacing(entries: [ElectionBoard.Entry], in board: ElectionBoard) throws -> ElectionBoard {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(board)) as! [String: Any]
        object["entries"] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(entries))
        return try JSONDecoder().decode(ElectionBoard.self, from: JSONSerialization.data(withJSONObject: object))
    }

    @Test func secretBallotsShareNothingWithTheRecordThatATeamVoted() async throws {
        try await withApp { app in
            // setup
            _ = try await MeetingRig.make(app)
            let sql = try #require(app.db as? any SQLDatabase)

            // act
            let columns = { (table: String) async throws -> Set<String> in
                if sql.dialect.name == "sqlite" {
                    return Set(
                        try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all()
                            .map { try $0.decode(column: "name", as: String.self) })
                }
                return Set(
                    try await sql.raw(
                        "SELECT column_name FROM information_schema.columns WHERE table_name = \(bind: table)"
                    ).all().map { try $0.decode(column: "column_name", as: String.self) })
            }
            let ballots = try await columns("election_ballots")
            let participations = try await columns("election_participations")

            // validate: no team, time, sequence or shared id; on SQLite no rowid either
            #expect(ballots == ["tracking_code", "election", "choices"])
            #expect(participations == ["id", "election_id", "team_id"])
            if sql.dialect.name == "sqlite" {
                let definition = try await sql.raw(
                    "SELECT sql FROM sqlite_master WHERE name = 'election_ballots'"
                ).first()?.decode(column: "sql", as: String.self)
                #expect(definition?.contains("WITHOUT ROWID") == true)
            }
        }
    }

    @Test func aSteeringCommitteeClassIsElectedBySTVForTwoYears() async throws {
        try await withApp { app in
            // setup
            let rig = try await MeetingRig.make(app)
            app.clock = FixedClock(MeetingRig.convened)
            let called = try await Self.call(rig, ["office": "steering-committee", "seatClass": 1, "method": "stv"])
            #expect(called.status == .created, "\(called.body.string)")
            let election = try called.content.decode(ElectionDTO.self)
            #expect(
                election.seats == 3 && election.termEndsOn == "2029-01-19" && election.officeName.contains("class 2"))
            let candidates = ["singcert", "nuscert", "jpcert-cc", "full-1"]
            for slug in candidates {
                let nominator = try await Self.handler(of: slug, app)
                _ = try await ElectionNominations.nominate(
                    "AGM-2027-E1", .init(team: nil, holder: "Rep of \(slug)", statement: "Standing."),
                    caller: nominator)
                let seconder = try await Self.handler(of: slug == "full-2" ? "full-3" : "full-2", app)
                try await ElectionNominations.second("AGM-2027-E1", candidate: slug, caller: seconder)
            }
            app.clock = FixedClock(Self.nominationsClose)
            #expect(try await rig.meeting("open").status == .ok)
            let present = ["singcert", "nuscert", "jpcert-cc", "full-1", "full-2"]
            for team in present { #expect(try await rig.meeting("attendance", ["team": team]).status == .created) }
            #expect(try await Self.post(rig, "AGM-2027-E1", "open").status == .ok)

            // act
            let rankings = [
                ["singcert", "nuscert"], ["singcert", "jpcert-cc"], ["nuscert", "singcert"], ["jpcert-cc", "full-1"],
                ["full-1", "jpcert-cc"],
            ]
            for (team, ranking) in zip(present, rankings) {
                _ = try await ElectionBallots.cast(
                    "AGM-2027-E1", choices: ranking, team: nil, caller: try await Self.handler(of: team, app))
            }
            let closed = try await Self.post(rig, "AGM-2027-E1", "close")

            // validate
            let result = try #require(try closed.content.decode(ElectionDTO.self).result)
            #expect(result.elected.count == 3 && !result.rounds.isEmpty)
            let board = try await rig.send(.GET, "/elections/AGM-2027-E1/board", as: .observer).content.decode(
                ElectionBoard.self)
            #expect(board.verify().matches && board.result == result)
            let terms = try await OfficeTerm.query(on: app.db).filter(\.$office == "steering-committee").all()
            #expect(terms.count == 3 && terms.allSatisfy { $0.seatClass == 1 && $0.endsOn == "2029-01-19" })
        }
    }

    @Test func concurrentBallotsAndACloseAreDecidedByTheDatabase() async throws {
        try await withApp(sqliteFile: true) { app in
            // setup
            let rig = try await MeetingRig.make(app)
            app.clock = FixedClock(MeetingRig.convened)
            #expect(try await Self.call(rig, ["office": "deputy-chair", "method": "yes-no"]).status == .created)
            _ = try await ElectionNominations.nominate(
                "AGM-2027-E1", .init(team: nil, holder: "Kim", statement: "Again."),
                caller: try await Self.handler(of: "full-4", app))
            try await ElectionNominations.second(
                "AGM-2027-E1", candidate: "full-4", caller: try await Self.handler(of: "full-3", app))
            app.clock = FixedClock(Self.nominationsClose)
            let present = ["singcert", "jpcert-cc", "full-1", "full-2", "full-3", "full-4"]
            #expect(try await rig.meeting("open").status == .ok)
            for team in present { #expect(try await rig.meeting("attendance", ["team": team]).status == .created) }
            #expect(try await Self.post(rig, "AGM-2027-E1", "open").status == .ok)

            // act: one team six times at once; then five teams racing the close
            let same = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await Self.post(rig, "AGM-2027-E1", "ballots", ["choices": ["yes"]], as: .handler).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let racing = try await withThrowingTaskGroup(of: Bool.self) { group in
                for team in present.dropFirst() {
                    group.addTask {
                        do {
                            _ = try await ElectionBallots.cast(
                                "AGM-2027-E1", choices: ["no"], team: nil, caller: try await Self.handler(of: team, app)
                            )
                            return true
                        } catch let error as ConcordError where error.code == .conflict {
                            return false
                        }
                    }
                }
                group.addTask {
                    let status = try await Self.post(rig, "AGM-2027-E1", "close").status
                    #expect(status == .ok)
                    return false
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            // validate: every ballot taken is on the board once, and no other
            #expect(same.filter { $0 == .created }.count == 1 && same.filter { $0 == .conflict }.count == 5)
            let board = try await rig.send(.GET, "/elections/AGM-2027-E1/board", as: .anonymous).content.decode(
                ElectionBoard.self)
            let accepted = racing.filter { $0 }.count
            #expect(board.entries.count == 1 + accepted && board.voters == 1 + accepted)
            #expect(board.verify().matches)
            #expect(board.result.votes == ["yes": 1, "no": accepted])
            let participations = try await ElectionParticipation.query(on: app.db).count()
            #expect(participations == 1 + accepted)
        }
    }

    @Test func aWithdrawnCandidacyAndACancelledElectionLeaveNothingCounted() async throws {
        try await withApp { app in
            // setup
            let rig = try await MeetingRig.make(app)
            app.clock = FixedClock(MeetingRig.convened)
            #expect(try await Self.call(rig, ["office": "chair", "method": "approval"]).status == .created)
            for slug in ["singcert", "full-1"] {
                _ = try await ElectionNominations.nominate(
                    "AGM-2027-E1", .init(team: nil, holder: "Rep", statement: "Standing."),
                    caller: try await Self.handler(of: slug, app))
            }

            // act
            let other = try await Self.post(rig, "AGM-2027-E1", "nominations/singcert/withdraw", as: .teamAdminOther)
            let own = try await Self.post(rig, "AGM-2027-E1", "nominations/singcert/withdraw", as: .handler)
            let secondWithdrawn = try await Self.post(
                rig, "AGM-2027-E1", "nominations/singcert/second", as: .teamAdminOther)
            try await ElectionNominations.second(
                "AGM-2027-E1", candidate: "full-1", caller: try await Self.handler(of: "full-2", app))
            app.clock = FixedClock(Self.nominationsClose)
            #expect(try await rig.meeting("open").status == .ok)
            for team in ["singcert", "jpcert-cc", "full-1", "full-2"] {
                #expect(try await rig.meeting("attendance", ["team": team]).status == .created)
            }
            let opened = try await Self.post(rig, "AGM-2027-E1", "open").content.decode(ElectionDTO.self)
            let marked = try await Self.post(rig, "AGM-2027-E1", "ballots", ["choices": ["full-1"]], as: .handler)
            let cancelled = try await Self.post(rig, "AGM-2027-E1", "cancel")

            // validate
            #expect(other.status == .forbidden && own.status == .ok && secondWithdrawn.status == .conflict)
            #expect(opened.lot == ["full-1"] && opened.candidates.first { $0.team == "singcert" }?.withdrawn == true)
            #expect(marked.status == .created && cancelled.status == .ok)
            #expect(try cancelled.content.decode(ElectionDTO.self).state == "cancelled")
            let sql = try #require(app.db as? any SQLDatabase)
            #expect(try await sql.raw("SELECT tracking_code FROM election_ballots").all().isEmpty)
            #expect(try await rig.send(.GET, "/elections/AGM-2027-E1/board", as: .anonymous).status == .conflict)
            #expect(try await Self.post(rig, "AGM-2027-E1", "close").status == .conflict)
            #expect(try await OfficeTerm.query(on: app.db).filter(\.$office == "chair").count() == 0)
        }
    }
}
