import Fluent
import Foundation

/// A membership category the forum configures (full, general, partner) and the rights it carries.
// @unchecked Sendable: see Economy.
final class MembershipCategory: Model, @unchecked Sendable {
    static let schema = "membership_categories"

    @ID(key: .id) var id: UUID?
    @Field(key: "slug") var slug: String
    @Field(key: "name") var name: String
    @Field(key: "may_vote") var mayVote: Bool
    @Field(key: "takes_part_in_drills") var takesPartInDrills: Bool

    init() {}

    init(id: UUID? = nil, slug: String, name: String, mayVote: Bool, takesPartInDrills: Bool) {
        self.id = id
        self.slug = slug
        self.name = name
        self.mayVote = mayVote
        self.takesPartInDrills = takesPartInDrills
    }
}
