import ConcordCore
import Vapor

/// A reporting year as the API lists it.
public struct ReportingYearDTO: Content, Equatable {
    public let year: Int
    public let startMonth: Int
    public let period: String
    public let deadline: Date
    public let openedAt: Date
    public let openedBy: String
    public let chairMessage: String
    /// Where the caller's own team stands (nil for a team that owes no submission).
    public let ownSubmission: String?

    init(_ year: ReportingYear, ownSubmission: SubmissionState?) {
        self.year = year.year
        startMonth = year.startMonth
        period = year.period.label
        deadline = year.deadline
        openedAt = year.openedAt
        openedBy = year.openedBy
        chairMessage = year.chairMessage
        self.ownSubmission = ownSubmission?.rawValue
    }
}

/// `POST /api/v1/reporting-years`.
public struct OpenReportingYearInput: Content {
    public var year: Int?
    public var startMonth: Int?
    public var deadline: Date?

    public init(year: Int?, startMonth: Int? = nil, deadline: Date?) {
        self.year = year
        self.startMonth = startMonth
        self.deadline = deadline
    }
}

/// `PATCH /api/v1/reporting-years/{year}`.
public struct UpdateReportingYearInput: Content {
    public var deadline: Date?
    public var chairMessage: String?
}

/// The status board: where every member team's submission stands.
public struct ReportingBoardDTO: Content, Equatable {
    public struct Line: Content, Equatable {
        public let team: String
        public let name: String
        public let economy: String
        public let state: String
        public let updatedAt: Date?
        public let submittedAt: Date?
        /// Submitted after the deadline, or not submitted and the deadline passed.
        public let late: Bool
        /// The declared total, once counts were saved.
        public let declaredTotal: Int?
    }

    public let year: ReportingYearDTO
    public let teams: [Line]
    /// How many teams are in each state.
    public let states: [String: Int]

    init(_ year: ReportingYear, lines: [ReportingYears.BoardLine], now: Date) {
        self.year = ReportingYearDTO(year, ownSubmission: nil)
        teams = lines.map { line in
            Line(
                team: line.team.slug, name: line.team.shortName, economy: line.team.economy.name,
                state: line.state.rawValue, updatedAt: line.submission?.updatedAt,
                submittedAt: line.submission?.submittedAt, late: line.isLate(now: now),
                declaredTotal: line.submission?.table?.total)
        }
        states = Dictionary(
            SubmissionState.allCases.map { state in (state.rawValue, lines.filter { $0.state == state }.count) },
            uniquingKeysWith: { a, _ in a })
    }
}

/// A team's submission: what it declared, where it stands, and its figures beside the ones
/// Concord measured.
public struct SubmissionDTO: Content, Equatable {
    public struct CountRow: Content, Equatable {
        public let category: String
        public let months: [Int]
        public let total: Int
    }

    public struct Counts: Content, Equatable {
        public let rows: [CountRow]
        public let monthTotals: [Int]
        public let total: Int
    }

    public struct ComparisonRow: Content, Equatable {
        public let category: String
        public let label: String
        public let declared: Int
        public let measured: Int
        public let difference: Int
        /// same, declared-more or measured-more.
        public let flag: String
    }

    public struct Comparison: Content, Equatable {
        public let rows: [ComparisonRow]
        public let total: ComparisonRow
        /// The declared counts' share in RSIT's `other`, in per cent (one decimal).
        public let otherShare: String
        /// Whether `other` passes a tenth of the declared incidents (the report warns).
        public let otherWarning: Bool
        public let definition: String
    }

    public let year: Int
    public let team: String
    public let teamName: String
    public let state: String
    public let startMonth: Int
    /// "2026" or "fiscal year April 2026 – March 2027".
    public let period: String
    public let months: [String]
    public let deadline: Date
    public let counts: Counts?
    public let alerts: Int?
    public let advisories: Int?
    public let trainings: Int?
    public let events: Int?
    public let about: String
    public let activities: String
    public let futurePlans: String
    public let returnComment: String?
    public let version: Int
    public let updatedAt: Date?
    public let updatedBy: String?
    public let submittedAt: Date?
    public let late: Bool
    public let decidedAt: Date?
    public let decidedBy: String?
    /// The team's own categories and the RSIT taxonomy each counts as.
    public let categoryMapping: [String: String]
    public let comparison: Comparison?
}

/// `PUT /api/v1/reporting-years/{year}/submissions/{team}`: a draft. Every field may be left out
/// (it keeps its value). `counts` rows as the CSV template's: a category, its twelve months and,
/// optionally, its total; `total` optionally the month totals and the grand total, checked.
public struct SubmissionInput: Content {
    public struct Row: Content {
        public var category: String?
        public var months: [Int]?
        public var total: Int?
    }

    public struct Totals: Content {
        public var months: [Int]?
        public var total: Int?
    }

    public var version: Int?
    public var startMonth: Int?
    public var counts: [Row]?
    public var total: Totals?
    public var alerts: Int?
    public var advisories: Int?
    public var trainings: Int?
    public var events: Int?
    public var about: String?
    public var activities: String?
    public var futurePlans: String?
}

/// `PUT /api/v1/teams/{slug}/category-mapping`: own category → RSIT taxonomy.
public struct CategoryMappingDTO: Content, Equatable {
    public var mapping: [String: String]

    public init(mapping: [String: String]) { self.mapping = mapping }
}

/// `POST …/return`.
public struct ReturnSubmissionInput: Content {
    public var comment: String?
}

/// An edition of the annual report, as the API lists it, with where its files are.
public struct ReportEditionDTO: Content, Equatable {
    public let year: Int
    public let number: Int
    public let tlp: String
    public let cutoff: Date
    public let madeAt: Date
    public let madeBy: String
    public let inputsSHA256: String
    /// File name (`report.pdf`) → its path under `/api/v1`.
    public let files: [String: String]

    init(year: Int, _ summary: ReportEditions.Summary) {
        self.year = year
        number = summary.number
        tlp = summary.tlp
        cutoff = summary.cutoff
        madeAt = summary.madeAt
        madeBy = summary.madeBy
        inputsSHA256 = summary.inputsSHA256
        files = Dictionary(
            uniqueKeysWithValues: ReportEditions.File.allCases.map {
                ($0.rawValue, "/reporting-years/\(year)/editions/\(summary.number)/\($0.rawValue)")
            })
    }
}

/// `POST /api/v1/reporting-years/{year}/editions`.
public struct BuildEditionInput: Content {
    /// `clear` (the public edition) or `amber` (the members'; the default).
    public var tlp: String?
    /// The data's cut-off; now by default, never later.
    public var cutoff: Date?

    public init(tlp: String?, cutoff: Date? = nil) {
        self.tlp = tlp
        self.cutoff = cutoff
    }
}
