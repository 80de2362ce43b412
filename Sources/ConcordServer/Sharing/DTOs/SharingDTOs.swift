import ConcordCore
import Foundation
import Vapor

/// A sharing group: teams that share TLP:AMBER among themselves in one TAXII collection.
struct SharingGroupDTO: Content {
    let id: UUID
    let name: String
    let description: String
    /// The member teams' slugs.
    let teams: [String]
    /// The group's TAXII collection.
    let taxii: String
}

/// What `POST /api/v1/sharing-groups` takes.
struct SharingGroupInput: Content {
    let name: String
    let description: String?
    /// Slugs of the teams in the group; the creator's own team is always one of them.
    let teams: [String]
}

/// One delivery of one of the team's objects.
struct DeliveryDTO: Content {
    let object: String
    let version: String
    let label: TLPLabel
    let channel: String
    let team: String
    let user: String
    let deliveredAt: Date
}
