import ConcordCore
import Foundation
import Vapor

/// A general meeting in the list.
public struct MeetingSummaryDTO: Content, Equatable {
    public let reference: String
    public let kind: String
    public let title: String
    public let startsAt: Date
    public let timeZone: String
    public let state: String

    init(_ meeting: GeneralMeeting) {
        reference = meeting.reference
        kind = meeting.kind.rawValue
        title = meeting.title
        startsAt = meeting.startsAt
        timeZone = meeting.timeZone
        state = meeting.state.rawValue
    }
}

/// A general meeting whole: agenda, attendance, the quorum now, and its motions.
public struct MeetingDTO: Content, Equatable {
    /// A team at the meeting.
    public struct Attendance: Content, Equatable {
        public let team: String
        public let teamName: String
        public let mode: String
        /// The present team holding this team's proxy.
        public let proxyHolder: String?
        public let votes: Bool
        public let checkedInAt: Date
    }

    /// A quorum check.
    public struct Quorum: Content, Equatable {
        public let present: Int
        public let votingMembers: Int
        public let required: Int
        public let met: Bool
        public let text: String

        init(_ check: QuorumCheck) {
            present = check.present
            votingMembers = check.votingMembers
            required = check.required
            met = check.isMet
            text = check.description
        }
    }

    public let reference: String
    public let kind: String
    public let title: String
    public let startsAt: Date
    public let timeZone: String
    /// The start in the meeting's own time zone: "2027-03-23 09:00 (Asia/Seoul, UTC+09:00)".
    public let localStart: String
    public let location: String
    public let state: String
    public let agenda: [String]
    public let convenedAt: Date
    public let openedAt: Date?
    public let closedAt: Date?
    public let quorum: Quorum?
    public let attendance: [Attendance]
    public let motions: [MotionDTO]
}

/// A motion with its state, the quorum check its vote opened with, and, once closed, the count,
/// the majority it needed and every team's named vote (while the vote is open only how many voted).
public struct MotionDTO: Content, Equatable {
    /// One team's named vote.
    public struct NamedVote: Content, Equatable {
        public let team: String
        public let teamName: String
        public let choice: String
        /// The team that cast it as proxy holder.
        public let byProxy: String?
    }

    public let reference: String
    public let kind: String
    public let title: String
    public let text: String
    public let mover: String
    public let seconder: String?
    public let amends: String?
    public let state: String
    public let openedAt: Date?
    public let closedAt: Date?
    public let quorumAtOpening: String?
    public let votesCast: Int
    public let yes: Int?
    public let no: Int?
    public let abstain: Int?
    /// The yes votes needed, and the majority in words.
    public let required: Int?
    public let majority: String
    public let castingVote: Bool?
    public let resolution: String?
    public let votes: [NamedVote]
}

/// A meeting's minutes, generated from its record: the meeting as it stands (attendance, the quorum
/// check each vote opened with, motions and amendments in order with their counts, majorities and
/// named votes), the constitution version it was judged by, and its resolutions. The same record
/// gives the same JSON, byte for byte, which the forum key signs.
public struct MinutesDocument: Content, Equatable {
    /// A resolution the meeting passed.
    public struct Resolution: Content, Equatable {
        public let reference: String
        public let motion: String
        public let title: String
        public let text: String
    }

    /// An election held at the meeting.
    public struct Election: Content, Equatable {
        public let reference: String
        public let title: String
        public let method: String
        public let seats: Int
        public let state: String
        /// "KrCERT/CC (Head of KrCERT/CC)", the candidates on the ballot.
        public let candidates: [String]
        /// "14 of 19 voting members present or represented when the ballot opened".
        public let opening: String?
        /// "auscert 3, singcert 3, …; 14 ballots, 0 blank".
        public let count: String?
        public let elected: [String]
        public let boardHead: String?
    }

    public let forum: String
    public let meeting: MeetingDTO
    public let constitutionVersion: Int
    public let constitutionEffectiveOn: String
    public let resolutions: [Resolution]
    /// The elections held at the meeting, by their records (a secret ballot's counts, never who voted how).
    public let elections: [Election]
    /// "draft" until the minutes are circulated and approved.
    public let state: String
}
