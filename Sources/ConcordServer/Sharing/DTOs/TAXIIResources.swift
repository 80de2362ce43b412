import Foundation

/// The discovery resource (TAXII 2.1 §4.1).
struct TAXIIDiscovery: Codable, Sendable {
    let title: String
    let description: String
    let contact: String
    let `default`: String
    let apiRoots: [String]

    enum CodingKeys: String, CodingKey {
        case title, description, contact, `default`
        case apiRoots = "api_roots"
    }
}

/// The API root resource (§4.2).
struct TAXIIAPIRoot: Codable, Sendable {
    let title: String
    let description: String
    let versions: [String]
    let maxContentLength: Int

    enum CodingKeys: String, CodingKey {
        case title, description, versions
        case maxContentLength = "max_content_length"
    }
}

/// A collection resource (§5.2), with what this principal may do there.
struct TAXIICollectionResource: Codable, Sendable {
    let id: String
    let title: String
    let description: String
    let canRead: Bool
    let canWrite: Bool
    let mediaTypes: [String]

    enum CodingKeys: String, CodingKey {
        case id, title, description
        case canRead = "can_read"
        case canWrite = "can_write"
        case mediaTypes = "media_types"
    }
}

/// The collections resource (§5.1).
struct TAXIICollections: Codable, Sendable {
    let collections: [TAXIICollectionResource]
}

/// One manifest record (§5.3).
struct TAXIIManifestRecord: Codable, Sendable {
    let id: String
    let dateAdded: String
    let version: String
    let mediaType: String

    enum CodingKeys: String, CodingKey {
        case id, version
        case dateAdded = "date_added"
        case mediaType = "media_type"
    }
}

/// The manifest resource (§5.3).
struct TAXIIManifest: Codable, Sendable {
    let more: Bool
    let next: String?
    let objects: [TAXIIManifestRecord]?
}

/// The versions resource (§5.8).
struct TAXIIVersions: Codable, Sendable {
    let more: Bool
    let next: String?
    let versions: [String]?
}

/// One object in a status (§4.3.1): its id, the version, and for failures why.
struct TAXIIStatusDetail: Codable, Sendable, Equatable {
    let id: String
    let version: String?
    let message: String?
}

/// The status resource (§4.3).
struct TAXIIStatus: Codable, Sendable {
    let id: String
    let status: String
    let requestTimestamp: String
    let totalCount: Int
    let successCount: Int
    let successes: [TAXIIStatusDetail]
    let failureCount: Int
    let failures: [TAXIIStatusDetail]
    let pendingCount: Int
    let pendings: [TAXIIStatusDetail]

    enum CodingKeys: String, CodingKey {
        case id, status, successes, failures, pendings
        case requestTimestamp = "request_timestamp"
        case totalCount = "total_count"
        case successCount = "success_count"
        case failureCount = "failure_count"
        case pendingCount = "pending_count"
    }
}

/// The error message (§3.6.1). `http_status` is a string that matches the status line.
struct TAXIIErrorMessage: Codable, Sendable {
    let title: String
    let description: String
    let httpStatus: String

    enum CodingKeys: String, CodingKey {
        case title, description
        case httpStatus = "http_status"
    }
}
