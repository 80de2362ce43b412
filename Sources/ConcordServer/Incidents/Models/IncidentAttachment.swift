import Fluent
import Foundation

/// A file attached to an incident (a log, a pcap, a sample in a password-protected archive). The
/// bytes live under `DATA/attachments/` named by their SHA-256; this row says what they are.
// @unchecked Sendable: see Economy.
final class IncidentAttachment: Model, @unchecked Sendable {
    static let schema = "incident_attachments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "incident_id") var incident: Incident
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "uploaded_by") var uploadedBy: String
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
}

/// When a user last opened an incident; newer timeline lines make it unread in the inbox.
// @unchecked Sendable: see Economy.
final class IncidentRead: Model, @unchecked Sendable {
    static let schema = "incident_reads"

    @ID(key: .id) var id: UUID?
    @Parent(key: "incident_id") var incident: Incident
    @Parent(key: "user_id") var user: User
    @Field(key: "read_at") var readAt: Date

    init() {}
}
