import ConcordCore
import Fluent
import Foundation

/// The forum's offices and who held them: the holders on a day, a team's history, and a new term.
enum Offices {
    /// The offices' names, in the order the forum lists them.
    static let names: [(slug: String, name: String)] = [
        ("chair", "Chair"), ("deputy-chair", "Deputy Chair"), ("steering-committee", "Steering Committee"),
    ]

    /// "Chair", "Steering Committee (class 1)".
    static func name(_ office: String, seatClass: Int?) -> String {
        let name = names.first { $0.slug == office }?.name ?? office
        return seatClass.map { "\(name) (class \($0 + 1))" } ?? name
    }

    /// The terms running on `day`, in the offices' order, with their teams.
    static func holders(on day: CivilDate, db: any Database) async throws -> [OfficeTerm] {
        let text = day.description
        let terms = try await OfficeTerm.query(on: db)
            .filter(\.$startsOn <= text).filter(\.$endsOn >= text).with(\.$team).all()
        return ordered(terms)
    }

    /// Every term a team held, newest first.
    static func history(of teamID: UUID, db: any Database) async throws -> [OfficeTerm] {
        try await OfficeTerm.query(on: db).filter(\.$team.$id == teamID).with(\.$team)
            .sort(\.$startsOn, .descending).all()
    }

    /// Records a term (the demo's history, and elections' results once declared).
    static func record(_ term: OfficeTerm, on db: any Database) async throws {
        try await term.create(on: db)
    }

    static func ordered(_ terms: [OfficeTerm]) -> [OfficeTerm] {
        let rank = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1.slug, $0) })
        return terms.sorted {
            (rank[$0.office] ?? 99, $0.seatClass ?? 0, $0.team.shortName)
                < (rank[$1.office] ?? 99, $1.seatClass ?? 0, $1.team.shortName)
        }
    }
}
