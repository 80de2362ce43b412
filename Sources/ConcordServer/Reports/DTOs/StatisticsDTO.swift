import ConcordCore
import Vapor

/// `GET /api/v1/statistics`: incident figures of a reporting year, counted over what the caller
/// may read, beside the previous year's with computed trends, and by RSIT taxonomy and month.
public struct StatisticsDTO: Content, Equatable {
    public struct Period: Content, Equatable {
        public let year: Int
        public let startMonth: Int
        public let label: String
        /// The window counted: the period, narrowed by `from` and `to` when given.
        public let from: Date
        public let to: Date
        public let months: [String]
    }

    public struct Scope: Content, Equatable {
        public let team: String?
        public let economy: String?
        public let classification: String?
        public let tlp: String?
    }

    public struct Counters: Content, Equatable {
        public let reports: Int
        public let incidents: Int
        public let casesCoordinated: Int
        public let crossBorder: Int

        init(_ counters: IncidentCounters) {
            reports = counters.reports
            incidents = counters.incidents
            casesCoordinated = counters.casesCoordinated
            crossBorder = counters.crossBorder
        }
    }

    /// A figure beside last year's, with the change computed ("+1.3 %", "new", "none").
    public struct TrendDTO: Content, Equatable {
        public let previous: Int
        public let current: Int
        public let change: String
        /// Tenths of a percent; null when there was nothing the year before.
        public let tenthsOfPercent: Int?

        init(_ trend: Trend) {
            previous = trend.previous
            current = trend.current
            change = trend.description
            tenthsOfPercent = trend.tenthsOfPercent
        }
    }

    public struct TaxonomyRow: Content, Equatable {
        public let taxonomy: String
        public let label: String
        public let months: [Int]
        public let total: Int
    }

    /// How long something took: median and p90 (nearest rank) with their text, and the cases
    /// within 15, 30 and 60 minutes, of all cases (open ones included).
    public struct Durations: Content, Equatable {
        public let cases: Int
        public let ended: Int
        public let open: Int
        public let medianSeconds: Int?
        public let p90Seconds: Int?
        public let median: String?
        public let p90: String?
        public let within15Minutes: Int
        public let within30Minutes: Int
        public let within60Minutes: Int
        /// "60.0 %" of all cases; null without cases.
        public let shareWithin15Minutes: String?
        public let shareWithin30Minutes: String?
        public let shareWithin60Minutes: String?

        init(_ figures: DurationFigures) {
            cases = figures.cases
            ended = figures.ended
            open = figures.open
            medianSeconds = figures.medianSeconds
            p90Seconds = figures.p90Seconds
            median = figures.medianSeconds.map(DurationFigures.text(seconds:))
            p90 = figures.p90Seconds.map(DurationFigures.text(seconds:))
            within15Minutes = figures.within15Minutes
            within30Minutes = figures.within30Minutes
            within60Minutes = figures.within60Minutes
            shareWithin15Minutes = Figures.percent(figures.within15Minutes, of: figures.cases)
            shareWithin30Minutes = Figures.percent(figures.within30Minutes, of: figures.cases)
            shareWithin60Minutes = Figures.percent(figures.within60Minutes, of: figures.cases)
        }
    }

    /// Communication checks started in the window: each challenge answered within its check's
    /// window or not; `answers` times the answers, the unanswered counted open.
    public struct CommunicationChecks: Content, Equatable {
        public let checks: Int
        public let challenges: Int
        public let teams: Int
        public let reachableTeams: Int
        public let answers: Durations
    }

    /// Drills started in the window: member teams invited and taking part, their economies,
    /// partner teams apart, and member deliveries acknowledged by their deadline.
    public struct Drills: Content, Equatable {
        public let drills: Int
        public let invitedTeams: Int
        public let participatingTeams: Int
        public let economies: Int
        public let partnerTeams: Int
        public let deliveriesWithDeadline: Int
        public let acknowledgedInTime: Int
        public let acknowledgedInTimeShare: String?
    }

    /// The active teams' directory entries at the window's end.
    public struct DirectoryHealth: Content, Equatable {
        public let teams: Int
        public let withValidKey: Int
        public let withValidKeyShare: String?
        public let withRecentProfile: Int
        public let withRecentProfileShare: String?
    }

    public let period: Period
    public let scope: Scope
    public let counters: Counters
    public let previousYear: Counters
    public let trends: [String: TrendDTO]
    public let byTaxonomy: [TaxonomyRow]
    /// Notified → first acknowledged, per assignment (a declined one is no case).
    public let timeToAcknowledge: Durations
    /// Notified → resolved, per assignment.
    public let timeToResolve: Durations
    /// Escalations of the assignments counted (reminders and secretariat alerts after a missed deadline).
    public let escalations: Int
    public let communicationChecks: CommunicationChecks
    public let drills: Drills
    public let directoryHealth: DirectoryHealth
    public let monthTotals: [Int]
    /// The same months a year earlier (the year-over-year chart).
    public let previousMonthTotals: [Int]
    public let total: Int
    /// Each figure's written definition, printed with it.
    public let definitions: [String: String]
}
