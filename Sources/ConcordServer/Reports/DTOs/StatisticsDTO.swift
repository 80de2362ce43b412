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

    public let period: Period
    public let scope: Scope
    public let counters: Counters
    public let previousYear: Counters
    public let trends: [String: TrendDTO]
    public let byTaxonomy: [TaxonomyRow]
    public let monthTotals: [Int]
    public let total: Int
    /// Each figure's written definition, printed with it.
    public let definitions: [String: String]
}
