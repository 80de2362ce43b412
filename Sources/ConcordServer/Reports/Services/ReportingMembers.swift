import Fluent
import Foundation

/// The teams that owe the annual report a submission: active teams of every membership category
/// but the partners' (teams of other forums, who are in the directory but not the forum).
enum ReportingMembers {
    /// The category whose teams do not submit.
    static let partnerCategory = "partner"

    /// The member teams, by short name, with their economy and contacts loaded.
    static func all(on db: any Database) async throws -> [Team] {
        try await Team.query(on: db).filter(\.$status == .active).with(\.$category).with(\.$economy)
            .with(\.$contacts).sort(\.$shortName).all()
            .filter { $0.category.slug != partnerCategory }
    }

    /// Whether `team` owes a submission.
    static func includes(_ team: Team, on db: any Database) async throws -> Bool {
        guard team.status == .active else { return false }
        let category = try await MembershipCategory.find(team.$category.id, on: db)
        return category?.slug != partnerCategory
    }
}
