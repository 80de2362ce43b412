import ConcordCore
import Fluent
import Foundation

/// One element of a team's constituency: an IP prefix, an AS number, a domain suffix or an economy
/// the team has national responsibility for. `value` is stored normalised (`203.0.113.0/25`,
/// `64496`, `xn--bcher-kva.example`, the economy's id).
// @unchecked Sendable: see Economy.
final class ConstituencyEntry: Model, @unchecked Sendable {
    static let schema = "constituency_entries"

    /// The kinds of entry.
    enum Kind: String, CaseIterable, Codable, Sendable {
        case prefix, asn, domain, economy
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "team_id") var team: Team
    @Enum(key: "kind") var kind: Kind
    @Field(key: "value") var value: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(teamID: UUID, kind: Kind, value: String) {
        self.$team.id = teamID
        self.kind = kind
        self.value = value
    }

    /// The entry as the routing table sees it; nil if stored data no longer parses.
    var routingItem: ConstituencyItem? {
        switch kind {
        case .prefix: return IPPrefix(value).map(ConstituencyItem.prefix)
        case .asn: return ASNumber(value).map(ConstituencyItem.asn)
        case .domain: return DomainName(value).map(ConstituencyItem.domain)
        case .economy: return .economy(value)
        }
    }
}
