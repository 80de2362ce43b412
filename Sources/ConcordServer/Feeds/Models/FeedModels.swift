import ConcordCore
import Fluent
import Foundation

/// One run of a feed import: what came in and what became of it.
// @unchecked Sendable: see Economy.
final class FeedImport: Model, @unchecked Sendable {
    static let schema = "feed_imports"

    @ID(key: .id) var id: UUID?
    /// The file name or `api`.
    @Field(key: "source") var source: String
    @Field(key: "format") var format: String
    @Field(key: "tlp") var tlp: TLPLabel
    @Field(key: "imported_by") var importedBy: String
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @Field(key: "lines") var lines: Int
    @Field(key: "stored") var stored: Int
    @Field(key: "duplicates") var duplicates: Int
    @Field(key: "malformed") var malformed: Int
    @Field(key: "triaged") var triaged: Int
    /// The first malformed lines, one `line N: reason` a line.
    @Field(key: "errors") var errors: String

    init() {}
}

/// One stored event. Its id is the `FeedFingerprint` of the feed name and the line (16 bytes), so
/// that importing the same file again stores nothing twice. The harmonised fields Concord uses have their columns;
/// the rest of the line (`extra.*` and other fields) is kept as JSON in `extra`.
// @unchecked Sendable: see Economy.
final class StoredFeedEvent: Model, @unchecked Sendable {
    static let schema = "feed_events"

    @ID(custom: "fingerprint", generatedBy: .user) var id: Data?
    @Field(key: "import_id") var importID: UUID
    @Field(key: "feed_name") var feedName: String
    @OptionalField(key: "feed_provider") var feedProvider: String?
    @Field(key: "taxonomy") var taxonomy: String
    @Field(key: "type") var type: String
    @OptionalField(key: "identifier") var identifier: String?
    @OptionalField(key: "source_ip") var sourceIP: String?
    @OptionalField(key: "source_asn") var sourceASN: Int64?
    @OptionalField(key: "source_fqdn") var sourceFQDN: String?
    @OptionalField(key: "source_port") var sourcePort: Int?
    @OptionalField(key: "source_cc") var sourceCountry: String?
    @OptionalField(key: "time_source") var timeSource: Date?
    @Field(key: "received_at") var receivedAt: Date
    /// The responsible team; nil: the secretariat's triage queue.
    @OptionalField(key: "team_id") var teamID: UUID?
    @OptionalField(key: "group_id") var groupID: UUID?
    @Field(key: "extra") var extra: String

    init() {}
}

/// The events of one team, feed and classification within one window: one aggregated
/// notification with a CSV attachment, as IntelMQ's mail add-on sends.
// @unchecked Sendable: see Economy.
final class FeedGroup: Model, @unchecked Sendable {
    static let schema = "feed_groups"

    @ID(key: .id) var id: UUID?
    @Parent(key: "team_id") var team: Team
    @Field(key: "feed_name") var feedName: String
    @Field(key: "taxonomy") var taxonomy: String
    @Field(key: "type") var type: String
    @Field(key: "tlp") var tlp: TLPLabel
    @Field(key: "window_start") var windowStart: Date
    @Field(key: "window_end") var windowEnd: Date

    init() {}
}
