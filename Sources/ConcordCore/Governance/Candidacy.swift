/// Whether a team may stand for an office: it must hold the right to stand on the day of the
/// election, and a single office's consecutive terms must not pass the constitution's limit.
public enum Candidacy {
    /// A term a team held in the office, first and last day.
    public struct HeldTerm: Equatable, Sendable {
        public let startsOn: CivilDate
        public let endsOn: CivilDate

        public init(startsOn: CivilDate, endsOn: CivilDate) {
            self.startsOn = startsOn
            self.endsOn = endsOn
        }
    }

    /// Why a team may not stand.
    public enum Ineligibility: Error, Equatable, Sendable, CustomStringConvertible {
        case mayNotStand(category: String)
        case termLimit(consecutive: Int, limit: Int, office: String)

        public var description: String {
            switch self {
            case .mayNotStand(let category):
                return "a \(category) member does not hold the right to stand (or has not yet waited for it)"
            case .termLimit(let consecutive, let limit, let office):
                return "it will have served \(consecutive) consecutive terms as \(office), the limit is \(limit)"
            }
        }
    }

    /// How many terms in `terms` run back to back up to `start`: the last one ends within the day
    /// before `start` (or runs through it), the one before it ends the day before that one began,
    /// and so on. A gap of more than a day breaks the run.
    public static func consecutiveTerms(_ terms: [HeldTerm], before start: CivilDate) -> Int {
        var count = 0
        var next = start
        for term in terms.sorted(by: { $0.startsOn > $1.startsOn }) where term.startsOn < next {
            guard term.endsOn >= next.adding(days: -1) else { break }
            count += 1
            next = term.startsOn
        }
        return count
    }

    /// Checks a team for an office whose new term starts on `start`; `limit` is the office's
    /// maximum of consecutive terms (nil: none, as for the steering committee).
    public static func check(
        rights: Set<MemberRight>, category: String, held: [HeldTerm], newTermStartsOn start: CivilDate,
        limit: Int?, office: String
    ) throws(Ineligibility) {
        guard rights.contains(.stand) else { throw .mayNotStand(category: category) }
        if let limit, limit > 0 {
            let consecutive = consecutiveTerms(held, before: start)
            if consecutive + 1 > limit { throw .termLimit(consecutive: consecutive + 1, limit: limit, office: office) }
        }
    }
}
