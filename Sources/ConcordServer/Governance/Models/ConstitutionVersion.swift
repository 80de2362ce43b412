import ConcordCore
import Fluent
import Foundation

/// One version of the forum's constitution, kept whole as adopted: its rules as JSON, the day
/// they take effect, and what adopted them (the founding, or a resolution's number).
// @unchecked Sendable: see Economy.
final class ConstitutionVersion: Model, @unchecked Sendable {
    static let schema = "constitution_versions"

    @ID(key: .id) var id: UUID?
    /// 1 for the founding rules, then one more for each change.
    @Field(key: "version") var version: Int
    @Field(key: "effective_on") var effectiveOn: String
    /// The rules, `Constitution` as JSON.
    @Field(key: "rules") var rules: String
    /// "founding", or the resolution that changed the rules (`AGM-2027-R4`).
    @Field(key: "adopted_by") var adoptedBy: String
    @Field(key: "adopted_at") var adoptedAt: Date
    @Field(key: "recorded_by") var recordedBy: String

    init() {}

    /// The rules as the core applies them; nil if the stored JSON no longer reads (never written so).
    var constitution: Constitution? {
        try? JSONDecoder().decode(Constitution.self, from: Data(rules.utf8))
    }
}
