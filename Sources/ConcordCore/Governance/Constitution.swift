/// The forum's rules as data: who may vote, stand, sponsor and attend closed sessions; how teams
/// are admitted; the bodies, their quorums and terms; the majorities each kind of decision needs.
/// Every version has the day it takes effect, and a decision is judged by the version in force
/// on the day it was opened (`ConstitutionHistory`).
public struct Constitution: Codable, Equatable, Sendable {
    /// The first day (`YYYY-MM-DD`, the forum's calendar) these rules apply.
    public var effectiveOn: String
    public var categories: [CategoryRights]
    public var applications: ApplicationRules
    public var generalMeeting: MeetingRules
    public var steeringCommittee: CommitteeRules
    public var offices: [OfficeRules]
    public var majorities: Majorities
    public var votesBetweenMeetings: VoteBetweenMeetingsRules
    public var tieRule: TieRule

    public init(
        effectiveOn: String, categories: [CategoryRights], applications: ApplicationRules,
        generalMeeting: MeetingRules, steeringCommittee: CommitteeRules, offices: [OfficeRules],
        majorities: Majorities, votesBetweenMeetings: VoteBetweenMeetingsRules, tieRule: TieRule
    ) {
        self.effectiveOn = effectiveOn
        self.categories = categories
        self.applications = applications
        self.generalMeeting = generalMeeting
        self.steeringCommittee = steeringCommittee
        self.offices = offices
        self.majorities = majorities
        self.votesBetweenMeetings = votesBetweenMeetings
        self.tieRule = tieRule
    }

    /// The rights of a category; nil for a category the constitution does not name (it has none).
    public func rights(of category: String) -> CategoryRights? {
        categories.first { $0.category == category }
    }

    /// The rules of an office (`chair`, `deputy-chair`).
    public func office(_ slug: String) -> OfficeRules? { offices.first { $0.office == slug } }

    /// Everything wrong with these rules, each named by its path; empty when they can be applied.
    public var problems: [String] {
        var problems: [String] = []
        if CivilDate(effectiveOn) == nil { problems.append("effectiveOn: '\(effectiveOn)' is not a date YYYY-MM-DD") }
        if categories.isEmpty { problems.append("categories: no member category") }
        var seen = Set<String>()
        for (index, rights) in categories.enumerated() {
            let path = "categories[\(index)]"
            if rights.category.isEmpty { problems.append("\(path).category: empty") }
            if !seen.insert(rights.category).inserted {
                problems.append("\(path).category: '\(rights.category)' twice")
            }
            if rights.sponsorsRequired < 0 { problems.append("\(path).sponsorsRequired: negative") }
            if rights.monthsBeforeVoting < 0 { problems.append("\(path).monthsBeforeVoting: negative") }
        }
        if !categories.contains(where: \.mayVote) { problems.append("categories: no category may vote") }
        if !categories.contains(where: \.maySponsor) { problems.append("categories: no category may sponsor") }
        let windows: [(String, Int)] = [
            ("applications.objectionWindowDays", applications.objectionWindowDays),
            ("applications.lapseMonths", applications.lapseMonths),
            ("applications.reapplicationBarMonths", applications.reapplicationBarMonths),
            ("applications.rejectionsBeforeBar", applications.rejectionsBeforeBar),
            ("generalMeeting.noticeDays", generalMeeting.noticeDays),
            ("generalMeeting.minutesCorrectionDays", generalMeeting.minutesCorrectionDays),
            ("steeringCommittee.termYears", steeringCommittee.termYears),
            ("votesBetweenMeetings.discussionDays", votesBetweenMeetings.discussionDays),
            ("votesBetweenMeetings.votingDays", votesBetweenMeetings.votingDays),
        ]
        for (path, value) in windows where value < 1 { problems.append("\(path): \(value) is less than 1") }
        if generalMeeting.maxProxiesPerMember < 0 { problems.append("generalMeeting.maxProxiesPerMember: negative") }
        if steeringCommittee.seatClasses.contains(where: { $0 < 1 }) {
            problems.append("steeringCommittee.seatClasses: a class without seats")
        }
        if steeringCommittee.seatClasses.reduce(0, +) != steeringCommittee.seats {
            problems.append(
                "steeringCommittee.seatClasses: \(steeringCommittee.seatClasses.reduce(0, +)) seats in its classes, not \(steeringCommittee.seats)"
            )
        }
        if steeringCommittee.seatClasses.count > steeringCommittee.termYears {
            problems.append("steeringCommittee.seatClasses: more classes than years in a term")
        }
        for (index, office) in offices.enumerated() {
            if office.termYears < 1 { problems.append("offices[\(index)].termYears: less than 1") }
            if office.maxConsecutiveTerms < 1 { problems.append("offices[\(index)].maxConsecutiveTerms: less than 1") }
        }
        if votesBetweenMeetings.reminderHours.contains(where: { $0 < 1 || $0 >= votesBetweenMeetings.votingDays * 24 })
        {
            problems.append("votesBetweenMeetings.reminderHours: a reminder outside the voting period")
        }
        return problems
    }
}

/// The rights a member category carries and how a team joins it.
public struct CategoryRights: Codable, Equatable, Sendable {
    /// The directory's category slug (`full`, `general`, `partner`).
    public var category: String
    public var mayVote: Bool
    public var mayStand: Bool
    public var maySponsor: Bool
    public var attendsClosedSessions: Bool
    /// Voting members' endorsements an applicant to this category needs.
    public var sponsorsRequired: Int
    /// Who decides an application to this category.
    public var admissionDecidedBy: DecidingBody
    /// Months after admission before a new member may vote and stand (12: one year).
    public var monthsBeforeVoting: Int

    public init(
        category: String, mayVote: Bool, mayStand: Bool, maySponsor: Bool, attendsClosedSessions: Bool,
        sponsorsRequired: Int, admissionDecidedBy: DecidingBody, monthsBeforeVoting: Int
    ) {
        self.category = category
        self.mayVote = mayVote
        self.mayStand = mayStand
        self.maySponsor = maySponsor
        self.attendsClosedSessions = attendsClosedSessions
        self.sponsorsRequired = sponsorsRequired
        self.admissionDecidedBy = admissionDecidedBy
        self.monthsBeforeVoting = monthsBeforeVoting
    }
}

/// Who takes a decision the constitution gives to a body.
public enum DecidingBody: String, Codable, Sendable, CaseIterable {
    case steeringCommittee = "steering-committee"
    case members
}

/// How applications run: the objection window, when one lapses, and when a rejected team may
/// apply again.
public struct ApplicationRules: Codable, Equatable, Sendable {
    public var objectionWindowDays: Int
    /// An application not decided within this many months lapses.
    public var lapseMonths: Int
    /// A rejected team may apply again after this many months…
    public var reapplicationBarMonths: Int
    /// …unless it has been rejected this many times: then never again.
    public var rejectionsBeforeBar: Int

    public init(objectionWindowDays: Int, lapseMonths: Int, reapplicationBarMonths: Int, rejectionsBeforeBar: Int) {
        self.objectionWindowDays = objectionWindowDays
        self.lapseMonths = lapseMonths
        self.reapplicationBarMonths = reapplicationBarMonths
        self.rejectionsBeforeBar = rejectionsBeforeBar
    }
}

/// The general meeting: its quorum, notice, proxies and minutes.
public struct MeetingRules: Codable, Equatable, Sendable {
    /// Of the voting members, present or represented.
    public var quorum: Threshold
    public var noticeDays: Int
    public var maxProxiesPerMember: Int
    public var minutesCorrectionDays: Int

    public init(quorum: Threshold, noticeDays: Int, maxProxiesPerMember: Int, minutesCorrectionDays: Int) {
        self.quorum = quorum
        self.noticeDays = noticeDays
        self.maxProxiesPerMember = maxProxiesPerMember
        self.minutesCorrectionDays = minutesCorrectionDays
    }
}

/// The steering committee: its seats, in classes elected in turn (staggered terms).
public struct CommitteeRules: Codable, Equatable, Sendable {
    public var seats: Int
    public var termYears: Int
    /// Seats per class; class k is elected in the years where year mod termYears = k.
    public var seatClasses: [Int]

    public init(seats: Int, termYears: Int, seatClasses: [Int]) {
        self.seats = seats
        self.termYears = termYears
        self.seatClasses = seatClasses
    }
}

/// A single office (chair, deputy chair): its term and how many terms one team may serve in a row.
public struct OfficeRules: Codable, Equatable, Sendable {
    public var office: String
    public var name: String
    public var termYears: Int
    public var maxConsecutiveTerms: Int

    public init(office: String, name: String, termYears: Int, maxConsecutiveTerms: Int) {
        self.office = office
        self.name = name
        self.termYears = termYears
        self.maxConsecutiveTerms = maxConsecutiveTerms
    }
}

/// The majority each kind of decision needs.
public struct Majorities: Codable, Equatable, Sendable {
    /// Motions at a meeting and votes between meetings, unless named below.
    public var ordinary: Majority
    public var admission: Majority
    public var revocationAtMeeting: Majority
    public var revocationBetweenMeetings: Majority
    public var constitutionChange: Majority

    public init(
        ordinary: Majority, admission: Majority, revocationAtMeeting: Majority,
        revocationBetweenMeetings: Majority, constitutionChange: Majority
    ) {
        self.ordinary = ordinary
        self.admission = admission
        self.revocationAtMeeting = revocationAtMeeting
        self.revocationBetweenMeetings = revocationBetweenMeetings
        self.constitutionChange = constitutionChange
    }
}

/// Votes between meetings (by e-mail and online): discussion, voting, reminders.
public struct VoteBetweenMeetingsRules: Codable, Equatable, Sendable {
    public var discussionDays: Int
    public var votingDays: Int
    /// Hours before the close at which teams that have not voted are reminded.
    public var reminderHours: [Int]

    public init(discussionDays: Int, votingDays: Int, reminderHours: [Int]) {
        self.discussionDays = discussionDays
        self.votingDays = votingDays
        self.reminderHours = reminderHours
    }
}

extension Constitution {
    /// The seeds' forum (APCERT's rules as the forum describes them): full members vote, stand and
    /// sponsor, one year after admission; general members attend; partners neither. One sponsor
    /// for a full member, three for a general one; 21 days for objections; a general meeting's
    /// quorum is half the voting members; a steering committee of 7 seats in two classes on
    /// 2-year terms; chair and deputy chair for 1 year, at most 2 in a row.
    public static func seedsForum(effectiveOn: String) -> Constitution {
        Constitution(
            effectiveOn: effectiveOn,
            categories: [
                CategoryRights(
                    category: "full", mayVote: true, mayStand: true, maySponsor: true, attendsClosedSessions: true,
                    sponsorsRequired: 1, admissionDecidedBy: .members, monthsBeforeVoting: 12),
                CategoryRights(
                    category: "general", mayVote: false, mayStand: false, maySponsor: false,
                    attendsClosedSessions: true, sponsorsRequired: 3, admissionDecidedBy: .steeringCommittee,
                    monthsBeforeVoting: 0),
                CategoryRights(
                    category: "partner", mayVote: false, mayStand: false, maySponsor: false,
                    attendsClosedSessions: false, sponsorsRequired: 1, admissionDecidedBy: .steeringCommittee,
                    monthsBeforeVoting: 0),
            ],
            applications: ApplicationRules(
                objectionWindowDays: 21, lapseMonths: 6, reapplicationBarMonths: 12, rejectionsBeforeBar: 3),
            generalMeeting: MeetingRules(
                quorum: .atLeastHalf, noticeDays: 30, maxProxiesPerMember: 2, minutesCorrectionDays: 14),
            steeringCommittee: CommitteeRules(seats: 7, termYears: 2, seatClasses: [4, 3]),
            offices: [
                OfficeRules(office: "chair", name: "Chair", termYears: 1, maxConsecutiveTerms: 2),
                OfficeRules(office: "deputy-chair", name: "Deputy Chair", termYears: 1, maxConsecutiveTerms: 2),
            ],
            majorities: Majorities(
                ordinary: .simple,
                admission: .simple,
                revocationAtMeeting: Majority(.twoThirds, of: .votesCast),
                revocationBetweenMeetings: Majority(.moreThanHalf, of: .allVotingMembers),
                constitutionChange: Majority(.twoThirds, of: .votesCast)),
            votesBetweenMeetings: VoteBetweenMeetingsRules(discussionDays: 7, votingDays: 7, reminderHours: [72, 24]),
            tieRule: .fails)
    }
}
