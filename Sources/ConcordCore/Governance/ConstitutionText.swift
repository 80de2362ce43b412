/// The constitution in sentences, as the web page, the CLI and the minutes print it: one heading
/// per part, one line per rule, every majority with its base.
public enum ConstitutionText {
    /// A part of the constitution and its rules.
    public struct Section: Codable, Equatable, Sendable {
        public let heading: String
        public let lines: [String]
    }

    public static func sections(_ rules: Constitution) -> [Section] {
        [
            Section(heading: "Member categories", lines: rules.categories.map(category)),
            Section(
                heading: "Applications",
                lines: [
                    "Objections may be raised for \(days(rules.applications.objectionWindowDays)) after an applicant is sponsored.",
                    "An application not decided within \(months(rules.applications.lapseMonths)) lapses.",
                    "A rejected team may apply again after \(months(rules.applications.reapplicationBarMonths)); "
                        + "after \(rules.applications.rejectionsBeforeBar) rejections, never again.",
                ]),
            Section(
                heading: "General meetings",
                lines: [
                    "Quorum: \(rules.generalMeeting.quorum) of the voting members, present or represented.",
                    "Notice: \(days(rules.generalMeeting.noticeDays)) before the meeting.",
                    "A voting member may hold at most \(rules.generalMeeting.maxProxiesPerMember) proxies.",
                    "Minutes are circulated for corrections for \(days(rules.generalMeeting.minutesCorrectionDays)).",
                ]),
            Section(
                heading: "Offices",
                lines: rules.offices.map {
                    "\($0.name): a term of \(years($0.termYears)), at most \($0.maxConsecutiveTerms) in a row."
                } + [
                    "Steering committee: \(rules.steeringCommittee.seats) seats on \(years(rules.steeringCommittee.termYears)) terms, "
                        + "elected in turn in classes of \(rules.steeringCommittee.seatClasses.map(String.init).joined(separator: " and ")) seats."
                ]),
            Section(
                heading: "Majorities",
                lines: [
                    "Ordinary decisions: \(rules.majorities.ordinary).",
                    "Admission of a member: \(rules.majorities.admission).",
                    "Revocation at a general meeting: \(rules.majorities.revocationAtMeeting).",
                    "Revocation by a vote between meetings: \(rules.majorities.revocationBetweenMeetings).",
                    "Changing this constitution: \(rules.majorities.constitutionChange).",
                    rules.tieRule == .fails
                        ? "A tie fails." : "A tie is decided by the chair's casting vote.",
                ]),
            Section(
                heading: "Votes between meetings",
                lines: [
                    "\(days(rules.votesBetweenMeetings.discussionDays)) of discussion, then \(days(rules.votesBetweenMeetings.votingDays)) of voting.",
                    "Teams that have not voted are reminded "
                        + rules.votesBetweenMeetings.reminderHours.map { "\($0) hours" }.joined(separator: " and ")
                        + " before the close.",
                ]),
        ]
    }

    /// "Full: vote, stand, sponsor, closed sessions; 1 sponsor; admitted by the members; votes and
    /// stands 12 months after admission."
    static func category(_ rights: CategoryRights) -> String {
        var held: [String] = []
        if rights.mayVote { held.append("vote") }
        if rights.mayStand { held.append("stand for office") }
        if rights.maySponsor { held.append("sponsor applicants") }
        if rights.attendsClosedSessions { held.append("attend closed sessions") }
        let body = rights.admissionDecidedBy == .members ? "the members" : "the steering committee"
        var line =
            "\(rights.category): " + (held.isEmpty ? "no voting or attendance rights" : held.joined(separator: ", "))
            + "; \(rights.sponsorsRequired) sponsor\(rights.sponsorsRequired == 1 ? "" : "s"); admitted by \(body)"
        if rights.mayVote && rights.monthsBeforeVoting > 0 {
            line += "; votes \(months(rights.monthsBeforeVoting)) after admission"
        }
        return line + "."
    }

    static func days(_ count: Int) -> String { count == 1 ? "1 day" : "\(count) days" }
    static func months(_ count: Int) -> String { count == 1 ? "1 month" : "\(count) months" }
    static func years(_ count: Int) -> String { count == 1 ? "1 year" : "\(count) years" }
}
