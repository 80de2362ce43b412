import ConcordCore
import ConcordTestTools
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

@Suite struct LookupAndDemoTests {
    @Test func lookupAnswersMostSpecificFirstWithReasons() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let response = try await app.testing().send(
                .GET, "/api/v1/lookup?ip=198.51.100.115", headers: forum.headers(.handler))
            let answer = try response.content.decode(LookupResultDTO.self)
            #expect(answer.matches.map(\.team.slug) == ["nuscert", "singcert"])
            #expect(answer.matches.first?.reason == "198.51.100.115 in 198.51.100.112/29 of NUSCERT")
            #expect(
                answer.matches.last?.team.pointsOfContact.map(\.value) == ["cert@sg.example"],
                "only published 24/7 contacts")
            #expect(!answer.fallback)
            let asn = try await app.testing().send(.GET, "/api/v1/lookup?asn=AS64500", headers: forum.headers(.handler))
            #expect(try asn.content.decode(LookupResultDTO.self).matches.map(\.team.slug) == ["nuscert"])
            let domain = try await app.testing().send(
                .GET, "/api/v1/lookup?domain=mail.unknown.sg.example", headers: forum.headers(.handler))
            #expect(try domain.content.decode(LookupResultDTO.self).matches.map(\.basis) == ["domain"])
            let national = try await app.testing().send(
                .GET, "/api/v1/lookup?ip=192.0.2.1&economy=SG", headers: forum.headers(.handler))
            #expect(try national.content.decode(LookupResultDTO.self).matches.map(\.basis) == ["national-team"])
            let triage = try await app.testing().send(
                .GET, "/api/v1/lookup?ip=192.0.2.1", headers: forum.headers(.handler))
            #expect(try triage.content.decode(LookupResultDTO.self).matches.map(\.team.slug) == ["jpcert-cc"])
            for bad in ["ip=999.1.1.1", "asn=0", "domain=-x-", "", "ip=192.0.2.1&asn=1", "ip=192.0.2.1&economy=ZZ"] {
                let response = try await app.testing().send(
                    .GET, "/api/v1/lookup?\(bad)", headers: forum.headers(.handler))
                #expect(response.status == .unprocessableEntity, "\(bad)")
            }
        }
    }

    @Test(.needs(.gpg)) func demoForumLoadsTheSeedsShape() async throws {
        try await withApp { app in
            // act
            let credentials = try await DemoLoader.load(app: app)
            let again = try await DemoLoader.load(app: app)
            // validate
            #expect(credentials.loaded && !again.loaded, "loading twice must not duplicate the forum")
            #expect(try await Team.query(on: app.db).count() == 27)
            #expect(try await Economy.query(on: app.db).count() == 18)
            let categories = try await Team.query(on: app.db).with(\.$category).all().map(\.category.slug)
            #expect(categories.filter { $0 == "full" }.count == 19 && categories.filter { $0 == "general" }.count == 8)
            #expect(try await User.query(on: app.db).count() == 28)
            let prefixes = try await ConstituencyEntry.query(on: app.db).filter(\.$kind == .prefix).all().map(\.value)
            let documentation = ["192.0.2.", "198.51.100.", "203.0.113.", "2001:db8:"]
            #expect(prefixes.allSatisfy { prefix in documentation.contains { prefix.hasPrefix($0) } })
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: again.adminToken)
            let lookup = try await app.testing().send(.GET, "/api/v1/lookup?ip=198.51.100.110", headers: headers)
            #expect(
                try lookup.content.decode(LookupResultDTO.self).matches.map(\.team.slug) == ["bp-dsirt", "singcert"])
            let checks = try await app.testing().send(.GET, "/api/v1/directory-checks", headers: headers)
            let findings = try checks.content.decode([DirectoryChecks.Finding].self)
            #expect(findings.contains { $0.team == "moncirt" && $0.kind == "key-expired" })
            #expect(findings.contains { $0.team == "techcert" && $0.kind == "key-expiring" })
            #expect(findings.contains { $0.team == "bkis" && $0.kind == "contact-not-verified" })
            #expect(credentials.sensorTokens.keys.sorted() == ["cyberjaya-1", "seoul-1", "tokyo-1"])
            let sensors = try await Sensor.query(on: app.db).count()
            #expect(again.sensorTokens.isEmpty && sensors == 3)
            let alerts = try await SurgeMonitor.runDue(at: Date(), scan: app.concord.surge, on: app.db)
            #expect(alerts.map(\.service.description) == ["tcp/6379"], "the demo's surge, and nothing else")
            let constitution = try await app.testing().send(.GET, "/api/v1/governance/constitution", headers: headers)
            let rules = try constitution.content.decode(ConstitutionDTO.self)
            #expect(
                rules.effectiveOn == "2003-02-01" && rules.rules == Constitution.seedsForum(effectiveOn: "2003-02-01"))
            let offices = try await app.testing().send(.GET, "/api/v1/governance/offices", headers: headers)
            let holders = try offices.content.decode([OfficeTermDTO].self)
            #expect(holders.prefix(2).map(\.team) == ["jpcert-cc", "krcert-cc"], "the seeds' chair and deputy chair")
            #expect(holders.filter { $0.office == "steering-committee" }.count == 7)
            let history = try await app.testing().send(
                .GET, "/api/v1/governance/offices?team=jpcert-cc", headers: headers)
            #expect(try history.content.decode([OfficeTermDTO].self).filter { $0.office == "chair" }.count == 2)
            let meetings = try await app.testing().send(.GET, "/api/v1/governance/meetings", headers: headers)
            let agm = try #require(try meetings.content.decode([MeetingSummaryDTO].self).first)
            #expect(agm.reference.hasPrefix("AGM-") && agm.state == "closed")
            let held = try await app.testing().send(
                .GET, "/api/v1/governance/meetings/\(agm.reference)", headers: headers)
            let meeting = try held.content.decode(MeetingDTO.self)
            #expect(meeting.quorum?.present == 14 && meeting.quorum?.votingMembers == 19)
            #expect(meeting.motions.map(\.state) == ["carried", "carried", "carried", "failed"])
            #expect(meeting.motions.compactMap(\.resolution) == ["\(agm.reference)-R1", "\(agm.reference)-R2"])
            #expect(meeting.motions[1].text == meeting.motions[2].text, "the amendment moved the drill to March")
            #expect(
                meeting.motions[0].votes.count == 14 && meeting.motions[0].votes.filter { $0.byProxy != nil }.count == 2
            )
            let minutes = try await app.testing().send(
                .GET, "/api/v1/governance/meetings/\(agm.reference)/minutes/minutes.html", headers: headers)
            #expect(minutes.status == .ok && minutes.body.string.contains("\(agm.reference)-R2"))
            #expect(minutes.body.string.contains("<strong>\(agm.reference)-E1</strong>: Election: Chair"))
            #expect(minutes.body.string.contains("Count: yes 12, no 1; 14 ballots, 1 blank. Elected: jpcert-cc."))
            let votes = try await app.testing().send(.GET, "/api/v1/governance/votes", headers: headers)
                .content.decode([GovernanceVoteSummaryDTO].self)
            #expect(Set(votes.map(\.state)) == ["carried", "voting"])
            let carried = try #require(votes.first { $0.state == "carried" })
            let record = try await app.testing().send(
                .GET, "/api/v1/governance/votes/\(carried.reference)", headers: headers
            ).content.decode(GovernanceVoteDTO.self)
            #expect(record.roll?.count == 19 && record.rollSHA256 == VoteRoll.digest(record.roll ?? []))
            #expect(record.count == VoteCount(yes: 11, no: 1, abstain: 2) && record.participation?.met == true)
            let proposed = try await app.testing().send(
                .POST, "/api/v1/governance/votes", headers: headers,
                body: ByteBuffer(string: #"{"kind":"ordinary","title":"Next","text":"A next vote."}"#),
                contentType: .json)
            #expect(proposed.status == .created, "the demo's counters leave the next number free")
            // the AGM's elections: closed, each board recounting to the office holders
            let elections = try await app.testing().send(.GET, "/api/v1/elections", headers: headers)
                .content.decode([ElectionSummaryDTO].self)
            #expect(elections.map(\.reference).sorted() == (1...3).map { "\(agm.reference)-E\($0)" })
            #expect(elections.allSatisfy { $0.state == "closed" })
            let officeHolders = try await app.testing().send(.GET, "/api/v1/governance/offices", headers: headers)
                .content.decode([OfficeTermDTO].self)
            for election in elections {
                let board = try await app.testing().send(.GET, "/api/v1/elections/\(election.reference)/board")
                    .content.decode(ElectionBoard.self)
                #expect(board.verify().matches && board.entries.count == 14, "\(election.reference)")
                let ofOffice = officeHolders.filter { $0.office == election.office }
                let holding = ofOffice.filter { $0.startsOn == ofOffice.map(\.startsOn).max() }
                #expect(Set(board.result.elected) == Set(holding.map(\.team)), "\(election.reference)")
            }
        }
    }
}
