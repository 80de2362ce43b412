import ConcordCore
import Vapor

/// One edition of the annual report as data: the machine-readable annex (`data.json`) and what the
/// HTML and the PDF are drawn from. A section above the edition's TLP is nil here and listed in
/// `contents` as left out. Encoded with sorted keys and no build time or builder, so an edition
/// rebuilt with the same cut-off over the same records is byte-identical.
public struct AnnualReportData: Content, Equatable {
    public struct Meta: Content, Equatable {
        public let forum: String
        public let year: Int
        public let period: String
        public let tlp: String
        /// Nothing after this time counts.
        public let cutoff: Date
        /// The RSIT version the figures count by.
        public let taxonomy: String
        /// What the public edition counts, in words.
        public let counted: String
    }

    /// A section in the report's order, in or left out of this edition.
    public struct Section: Content, Equatable {
        public let id: String
        public let title: String
        public let tlp: String
        public let included: Bool
    }

    public struct Chair: Content, Equatable {
        public let paragraphs: [String]
    }

    public struct About: Content, Equatable {
        public struct Group: Content, Equatable {
            public let name: String
            public let teams: [String]
        }

        public let members: Int
        public let economies: Int
        public let byCategory: [Group]
        public let byEconomy: [Group]
        public let secretariat: [String]
    }

    public struct Activities: Content, Equatable {
        public struct Item: Content, Equatable {
            public let date: String
            public let title: String
            /// "12 teams of 9 economies took part", "25 of 27 teams answered in time".
            public let outcome: String
        }

        public let drills: [Item]
        public let checks: [Item]
        /// The general meetings held and the votes between meetings closed in the year.
        public let governance: [Item]
    }

    /// A member team's times (the members' edition only).
    public struct TeamTimes: Content, Equatable {
        public let team: String
        public let name: String
        public let timeToAcknowledge: StatisticsDTO.Durations
        public let timeToResolve: StatisticsDTO.Durations
        public let checks: StatisticsDTO.CommunicationChecks
    }

    public struct Sensors: Content, Equatable {
        public struct Uptime: Content, Equatable {
            public let team: String
            public let sensor: String
            public let delivered: Int
            public let expected: Int
            public let uptime: String
        }

        public let ports: PortRanking
        public let packets: Int
        public let previousPackets: Int
        public let uptime: [Uptime]
        public let definition: String
    }

    public struct TeamSection: Content, Equatable {
        public let team: String
        public let name: String
        public let economy: String
        public let category: String
        /// False: no submission was accepted by the cut-off (the section says so).
        public let submitted: Bool
        public let period: String
        public let months: [String]
        public let about: String
        public let activities: String
        public let futurePlans: String
        public let alerts: Int?
        public let advisories: Int?
        public let trainings: Int?
        public let events: Int?
        /// Incidents by RSIT taxonomy (its own categories counted as they map).
        public let byTaxonomy: [StatisticsDTO.TaxonomyRow]
        public let monthTotals: [Int]
        public let total: Int
        /// The team's total a year earlier, from its accepted submission then (nil without one).
        public let previousTotal: Int?
        public let previousMonthTotals: [Int]?
        public let change: String?
        public let otherShare: String?
        public let otherWarning: Bool
    }

    /// A team's declared total beside the incidents Concord measured for it (members' edition).
    public struct Comparison: Content, Equatable {
        public let team: String
        public let name: String
        public let declared: Int
        public let measured: Int
        public let difference: Int
        public let flag: String
    }

    public let meta: Meta
    public let contents: [Section]
    public let chair: Chair?
    public let about: About?
    public let activities: Activities?
    public let measured: StatisticsDTO?
    public let teamTimes: [TeamTimes]?
    public let sensors: Sensors?
    public let teams: [TeamSection]?
    public let comparisons: [Comparison]?
}
