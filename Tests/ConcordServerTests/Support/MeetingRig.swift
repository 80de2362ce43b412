import ConcordCore
import Fluent
import Foundation
import Vapor
import VaporTesting

@testable import ConcordServer

/// A general meeting to test with: the test forum plus four more full members and a general member,
/// the seeds' forum's constitution in force, and an AGM convened for 2027-01-20 09:00 in Tokyo.
struct MeetingRig {
    /// 2026-12-10 00:00 UTC, when the meeting is convened.
    static let convened = Date(timeIntervalSince1970: 1_796_860_800)
    /// 2027-01-20 00:00 UTC (09:00 in Tokyo), the meeting.
    static let meetingDay = Date(timeIntervalSince1970: 1_800_403_200)
    static let extraFull = ["full-1", "full-2", "full-3", "full-4"]

    let forum: TestForum
    let app: Application

    static func make(_ app: Application) async throws -> MeetingRig {
        let forum = try await TestForum.seed(app)
        let full = try await MembershipCategory.query(on: app.db).filter(\.$slug == "full").first()!
        let general = try await MembershipCategory.query(on: app.db).filter(\.$slug == "general").first()!
        let japan = try await Economy.find(forum.japanID, on: app.db)!
        for slug in extraFull {
            _ = try await TestForum.makeTeam(
                slug, slug.uppercased(), economy: japan, category: full, secretariat: false, on: app.db)
        }
        _ = try await TestForum.makeTeam(
            "general-1", "GENERAL-1", economy: japan, category: general, secretariat: false, on: app.db)
        let version = ConstitutionVersion()
        version.version = 1
        version.effectiveOn = "2003-02-01"
        version.rules = try Constitutions.storedText(.seedsForum(effectiveOn: "2003-02-01"))
        version.adoptedBy = "founding"
        version.adoptedAt = convened
        version.recordedBy = "test"
        try await version.create(on: app.db)
        app.clock = FixedClock(convened)
        let rig = MeetingRig(forum: forum, app: app)
        let response = try await rig.send(
            .POST, "/governance/meetings",
            [
                "title": "Annual General Meeting 2027", "startsAt": "2027-01-20T00:00:00Z", "timeZone": "Asia/Tokyo",
                "location": "Tokyo and online",
            ], as: .secretariat)
        guard response.status == .created else { throw ConcordError(.conflict, "convening: \(response.body.string)") }
        app.clock = FixedClock(meetingDay)
        return rig
    }

    func send(_ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil, as actor: Actor) async throws
        -> TestingHTTPResponse
    {
        var headers = forum.headers(actor)
        var buffer: ByteBuffer?
        if let body {
            headers.contentType = .json
            buffer = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
        }
        return try await app.testing().send(method, "/api/v1\(path)", headers: headers, body: buffer)
    }

    /// `POST …/AGM-2027/<what>` as the secretariat, expecting `expected`.
    @discardableResult
    func meeting(_ what: String, _ body: [String: Any]? = nil, as actor: Actor = .secretariat) async throws
        -> TestingHTTPResponse
    {
        try await send(.POST, "/governance/meetings/AGM-2027\(what.isEmpty ? "" : "/" + what)", body, as: actor)
    }

    @discardableResult
    func motion(_ reference: String, _ what: String, _ body: [String: Any]? = nil, as actor: Actor = .secretariat)
        async throws -> TestingHTTPResponse
    {
        try await send(.POST, "/governance/motions/\(reference)/\(what)", body, as: actor)
    }

    func read() async throws -> MeetingDTO {
        try await send(.GET, "/governance/meetings/AGM-2027", as: .observer).content.decode(MeetingDTO.self)
    }
}
