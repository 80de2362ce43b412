import ConcordCore
import Fluent
import Foundation

/// A reporting year the secretariat opened: its period (the calendar year by default), the
/// deadline for the teams' submissions, and the chair's message for the report.
// @unchecked Sendable: see Economy.
final class ReportingYear: Model, @unchecked Sendable {
    static let schema = "reporting_years"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    /// The month the forum's year starts in (1: January).
    @Field(key: "start_month") var startMonth: Int
    @Field(key: "deadline") var deadline: Date
    @Field(key: "opened_at") var openedAt: Date
    @Field(key: "opened_by") var openedBy: String
    /// The chair's message, the report's first section (plain text, paragraphs by blank lines).
    @Field(key: "chair_message") var chairMessage: String
    /// Editions built so far (the next one's number is this plus one).
    @Field(key: "editions") var editions: Int

    init() {}

    /// The forum's period.
    var period: ReportingPeriod {
        ReportingPeriod(year: year, startMonth: startMonth) ?? ReportingPeriod(year: 2000)!
    }
}

/// A team's submission to a reporting year: what it declares (counts by month and category, the
/// alerts, advisories, trainings and events of its year, three texts), and where it stands.
// @unchecked Sendable: see Economy.
final class ReportSubmission: Model, @unchecked Sendable {
    static let schema = "report_submissions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "reporting_year_id") var reportingYear: ReportingYear
    @Parent(key: "team_id") var team: Team
    @Field(key: "state") var state: String
    /// The team's own year (4: a fiscal year April to March), said in the report.
    @Field(key: "start_month") var startMonth: Int
    /// JSON of a `CountTable`, in the team's own categories or RSIT's.
    @OptionalField(key: "counts") var counts: String?
    @OptionalField(key: "alerts") var alerts: Int?
    @OptionalField(key: "advisories") var advisories: Int?
    @OptionalField(key: "trainings") var trainings: Int?
    @OptionalField(key: "events") var events: Int?
    @Field(key: "about") var about: String
    @Field(key: "activities") var activities: String
    @Field(key: "future_plans") var futurePlans: String
    @OptionalField(key: "return_comment") var returnComment: String?
    /// Bumped by every change: a form sends the version it showed, and a stale one is refused.
    @Field(key: "version") var version: Int
    @OptionalField(key: "updated_at") var updatedAt: Date?
    @OptionalField(key: "updated_by") var updatedBy: String?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "decided_by") var decidedBy: String?

    init() {}

    /// The typed state (a stored value Concord wrote; an unknown one reads as a draft).
    var submissionState: SubmissionState { SubmissionState(rawValue: state) ?? .draft }

    /// The declared counts, if any were saved.
    var table: CountTable? {
        counts.flatMap { try? JSONDecoder().decode(CountTable.self, from: Data($0.utf8)) }
    }
}

/// A reminder sent to a team for a reporting year, so that each (30, 7, 1 days before the
/// deadline) goes once, whichever instance sends it.
// @unchecked Sendable: see Economy.
final class ReportReminder: Model, @unchecked Sendable {
    static let schema = "report_reminders"

    @ID(key: .id) var id: UUID?
    @Field(key: "reporting_year_id") var reportingYearID: UUID
    @Field(key: "team_id") var teamID: UUID
    @Field(key: "days_before") var daysBefore: Int
    @Field(key: "sent_at") var sentAt: Date

    init() {}
}

/// One of a team's own incident categories mapped to an RSIT taxonomy.
// @unchecked Sendable: see Economy.
final class TeamCategoryMapping: Model, @unchecked Sendable {
    static let schema = "team_category_mappings"

    @ID(key: .id) var id: UUID?
    @Field(key: "team_id") var teamID: UUID
    @Field(key: "category") var category: String
    @Field(key: "taxonomy") var taxonomy: String

    init() {}
}

/// One built edition of the annual report, kept as it was made: never changed (a correction is a
/// new edition), its documents stored whole.
// @unchecked Sendable: see Economy.
final class ReportEdition: Model, @unchecked Sendable {
    static let schema = "report_editions"

    @ID(key: .id) var id: UUID?
    @Field(key: "reporting_year_id") var reportingYearID: UUID
    /// 1, 2, … per year, from the year's counter.
    @Field(key: "number") var number: Int
    @Field(key: "tlp") var tlp: String
    @Field(key: "cutoff") var cutoff: Date
    @Field(key: "made_at") var madeAt: Date
    @Field(key: "made_by") var madeBy: String
    @Field(key: "inputs_sha256") var inputsSHA256: String
    @Field(key: "data_json") var dataJSON: String
    @Field(key: "html") var html: String
    @Field(key: "csv") var csv: String
    @Field(key: "pdf") var pdf: Data

    init() {}
}
