import ConcordCore
import Fluent
import Foundation

/// The annual report's mail to a team, through the outbox to its general e-mail contacts (the
/// emergency ones when it has none): reminders before the deadline and the secretariat's
/// decisions. It names no figure and no comment: the team reads those logged in.
enum SubmissionMail {
    /// The days before the deadline a team that has not submitted is reminded.
    static let reminderDays = [30, 7, 1]

    /// Queues the reminder `daysBefore` the deadline to `team`.
    static func reminder(
        daysBefore: Int, team: Team, year: ReportingYear, state: SubmissionState, publicURL: String, now: Date,
        on db: any Database
    ) async throws {
        let due = ISODate.string(year.deadline)
        let when = daysBefore == 1 ? "tomorrow" : "in \(daysBefore) days"
        let subject = "Concord: \(team.shortName)'s submission to the annual report \(year.year) is due \(when)"
        let text = """
            \(team.shortName)'s submission to the forum's annual report for \(year.period.label) is due \
            \(due) (UTC), \(when). It is \(state) today.

            Fill it in, upload the CSV or send it through the API at:
            \(link(year: year, team: team, publicURL: publicURL))

            The secretariat reads it once it is submitted. This reminder goes to teams that have not \
            submitted, 30, 7 and 1 days before the deadline.
            """
        try await send(subject: subject, text: text, to: team, now: now, on: db)
    }

    /// Queues the notice that the secretariat accepted or returned `submission`.
    static func decided(
        _ action: SubmissionState.Action, _ submission: ReportSubmission, team: Team, year: ReportingYear,
        caller: Caller, on db: any Database
    ) async throws {
        let returned = action == .return
        let subject =
            "Concord: \(team.shortName)'s submission to the annual report \(year.year) was "
            + (returned ? "returned" : "accepted")
        let text =
            returned
            ? """
            The forum's secretariat returned \(team.shortName)'s submission to the annual report for \
            \(year.period.label) with a comment. Read it, change the submission and submit it again \
            before \(ISODate.string(year.deadline)) (UTC):
            \(link(year: year, team: team, publicURL: caller.app.concord.publicURL))
            """
            : """
            The forum's secretariat accepted \(team.shortName)'s submission to the annual report for \
            \(year.period.label): its figures and text go into the report as submitted.
            \(link(year: year, team: team, publicURL: caller.app.concord.publicURL))
            """
        try await send(subject: subject, text: text, to: team, now: caller.clock.now(), on: db)
    }

    /// The submission's page.
    static func link(year: ReportingYear, team: Team, publicURL: String) -> String {
        "\(publicURL)\(ReportPaths.submissionPage(year: year.year, team: team.slug))"
    }

    private static func send(subject: String, text: String, to team: Team, now: Date, on db: any Database)
        async throws
    {
        let teamID = try team.requireID()
        if team.$contacts.value == nil { try await team.$contacts.load(on: db) }
        // Not urgent: the general addresses, the emergency ones only where a team has none.
        for contact in Outbox.emailContacts(of: team, step: 1) {
            _ = try await Outbox.enqueue(
                mail: .reportNotice, subject: subject, text: text, to: contact, team: teamID, now: now, on: db)
        }
    }
}
