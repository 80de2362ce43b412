import ConcordCore
import Fluent
import Foundation

/// The demo forum's last AGM, held in Concord and closed: twelve full members present (in Jeju and
/// online), two represented by proxy, two general members attending; the year's activity reports
/// adopted; the work plan amended (the drill moved to March) and adopted; a membership fee refused;
/// the chair, the deputy chair and a class of the steering committee elected (`DemoElection`).
/// Every count, majority and resolution number is what the services would have recorded.
enum DemoMeeting {
    static let present: [(slug: String, mode: AttendanceMode)] = [
        ("jpcert-cc", .inPerson), ("krcert-cc", .inPerson), ("auscert", .inPerson), ("cncert-cc", .inPerson),
        ("hkcert-cc", .inPerson), ("mycert", .inPerson), ("singcert", .inPerson), ("thaicert", .online),
        ("cert-in", .online), ("twcert-cc", .inPerson), ("idcert", .online), ("slcert", .online),
    ]
    static let proxies: [(giver: String, holder: String)] = [("brucert", "singcert"), ("phcert", "mycert")]
    static let attendingGeneralMembers = ["bdcert", "moncirt"]

    /// One motion of the demo's AGM, with its votes by the roll's order (the rest abstain).
    struct DemoMotion {
        let title: String
        let text: String
        let mover: String
        let seconder: String
        /// The index of the motion this amends.
        let amends: Int?
        let yes: Int
        let no: Int
    }

    static let motions: [DemoMotion] = [
        DemoMotion(
            title: "The year's activity reports",
            text: "The forum adopts the secretariat's activity report and the members' reports of the year.",
            mover: "jpcert-cc", seconder: "krcert-cc", amends: nil, yes: 13, no: 0),
        DemoMotion(
            title: "The work plan for the coming year",
            text: "The forum adopts the work plan: the drill in February, the annual report in spring, the "
                + "sensor project's workshop at the next AGM.",
            mover: "krcert-cc", seconder: "auscert", amends: nil, yes: 12, no: 1),
        DemoMotion(
            title: "The drill in March",
            text: "The forum adopts the work plan: the drill in March, the annual report in spring, the sensor "
                + "project's workshop at the next AGM.",
            mover: "singcert", seconder: "mycert", amends: 1, yes: 8, no: 5),
        DemoMotion(
            title: "A membership fee",
            text: "Full members pay a yearly fee towards the forum's secretariat.",
            mover: "twcert-cc", seconder: "idcert", amends: nil, yes: 4, no: 9),
    ]

    /// The order the motions are voted in: the amendment before its motion.
    static let votingOrder = [0, 2, 1, 3]

    static func load(agm: CivilDate, rules: Constitution, teams: [String: (UUID, Team)], on db: any Database)
        async throws
    {
        let start = Date(timeIntervalSince1970: TimeInterval(agm.startSecond))  // 09:00 in Seoul
        let meeting = GeneralMeeting()
        meeting.id = UUID()
        meeting.reference = "AGM-\(agm.year)"
        meeting.kind = .annual
        meeting.title = "Annual General Meeting \(agm.year)"
        meeting.startsAt = start
        meeting.timeZone = "Asia/Seoul"
        meeting.location = "Jeju Island, Korea (hosted by KrCERT/CC), and online"
        meeting.agenda = String(decoding: try JSONEncoder().encode(Meetings.annualAgenda), as: UTF8.self)
        meeting.state = .closed
        meeting.convenedAt = start.addingTimeInterval(-45 * 86_400)
        meeting.convenedBy = "secretariat@jpcert.example"
        meeting.openedAt = start
        meeting.closedAt = start.addingTimeInterval(3 * 3600)
        meeting.motions = motions.count
        meeting.resolutions = 0
        try await meeting.create(on: db)
        let meetingID = try meeting.requireID()

        var roll: [UUID] = []
        for (slug, mode) in present {
            guard let (id, _) = teams[slug] else { continue }
            try await attend(meetingID, team: id, mode: mode, holder: nil, slot: nil, at: start, on: db)
            roll.append(id)
        }
        for (giver, holder) in proxies {
            guard let (id, _) = teams[giver], let (holderID, _) = teams[holder] else { continue }
            try await attend(meetingID, team: id, mode: .proxy, holder: holderID, slot: 1, at: start, on: db)
            roll.append(id)
        }
        for slug in attendingGeneralMembers {
            guard let (id, _) = teams[slug] else { continue }
            try await attend(meetingID, team: id, mode: .online, holder: nil, slot: nil, at: start, on: db)
        }
        let voting = teams.values.filter { rules.rights(of: MeetingRoll.standing(of: $0.1), on: agm).contains(.vote) }
            .count
        let quorum = QuorumCheck(present: roll.count, votingMembers: voting, rule: rules.generalMeeting.quorum)
        let rollText = String(
            decoding: try JSONEncoder().encode(roll.sorted { $0.uuidString < $1.uuidString }), as: UTF8.self)
        let proxyHolder = Dictionary(
            uniqueKeysWithValues: proxies.compactMap { giver, holder in
                teams[giver].flatMap { g in teams[holder].map { (g.0, $0.0) } }
            })

        var rows: [Motion] = []
        for (index, demo) in motions.enumerated() {
            guard let (mover, _) = teams[demo.mover], let (seconder, _) = teams[demo.seconder] else { return }
            let motion = Motion()
            motion.id = UUID()
            motion.$meeting.id = meetingID
            motion.reference = "\(meeting.reference)-M\(index + 1)"
            motion.kind = .ordinary
            motion.title = demo.title
            motion.text = demo.text
            motion.$mover.id = mover
            motion.$seconder.id = seconder
            motion.$amends.id = demo.amends.flatMap { rows[$0].id }
            motion.state = .proposed
            motion.proposedAt = start.addingTimeInterval(Double(10 + index * 20) * 60)
            rows.append(motion)
        }
        var resolutions = 0
        var votes: [MotionVote] = []
        for (turn, index) in votingOrder.enumerated() {
            let demo = motions[index]
            let motion = rows[index]
            let opened = start.addingTimeInterval(Double(90 + turn * 20) * 60)
            motion.openedAt = opened
            motion.closedAt = opened.addingTimeInterval(10 * 60)
            motion.presentAtOpening = quorum.present
            motion.votingMembersAtOpening = quorum.votingMembers
            motion.quorumAtOpening = quorum.required
            motion.roll = rollText
            var choices: [VoteChoice] = []
            for (position, teamID) in roll.enumerated() {
                let choice: VoteChoice = position < demo.yes ? .yes : position < demo.yes + demo.no ? .no : .abstain
                choices.append(choice)
                let vote = MotionVote()
                vote.$motion.id = try motion.requireID()
                vote.$team.id = teamID
                vote.choice = choice
                vote.$castByProxy.id = proxyHolder[teamID]
                vote.castBy = "demo"
                vote.castAt = opened.addingTimeInterval(Double(position) * 20)
                votes.append(vote)
            }
            let judgement = try MotionJudgement(
                count: VoteCount(choices), majority: rules.majority(for: .ordinary, atMeeting: true),
                present: quorum.present, votingMembers: quorum.votingMembers, tieRule: rules.tieRule)
            motion.judgement = String(decoding: try JSONEncoder().encode(judgement), as: UTF8.self)
            motion.state = judgement.outcome == .carried ? .carried : .failed
            if motion.state == .carried, let amended = demo.amends {
                rows[amended].text = demo.text
            } else if motion.state == .carried {
                resolutions += 1
                motion.resolution = "\(meeting.reference)-R\(resolutions)"
            }
        }
        for motion in rows { try await motion.create(on: db) }
        for vote in votes { try await vote.create(on: db) }
        meeting.resolutions = resolutions
        try await meeting.save(on: db)
        try await DemoElection.load(meeting: meeting, agm: agm, roll: roll, rules: rules, teams: teams, on: db)
    }

    private static func attend(
        _ meetingID: UUID, team: UUID, mode: AttendanceMode, holder: UUID?, slot: Int?, at time: Date,
        on db: any Database
    ) async throws {
        let row = MeetingAttendance()
        row.$meeting.id = meetingID
        row.$team.id = team
        row.mode = mode
        row.$proxyHolder.id = holder
        row.proxySlot = slot
        row.checkedInAt = time
        row.checkedInBy = "secretariat@jpcert.example"
        try await row.create(on: db)
    }
}
