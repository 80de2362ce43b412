import Foundation
import Testing

@testable import ConcordServer

/// The server secret: required from the environment on PostgreSQL, where several instances must
/// verify each other's links and cursors; a malformed key refuses to start instead of being ignored.
@Suite struct ServerSecretTests {
    private func configuration(_ environment: [String: String]) throws -> ConcordConfiguration {
        var settings = environment
        settings["CONCORD_DATA_DIR"] = FileManager.default.temporaryDirectory.path
        return try ConcordConfiguration.fromEnvironment(settings)
    }

    @Test func postgresWithoutAKeyIsAStartUpErrorThatSaysHowToMakeOne() throws {
        let settings = try configuration(["DATABASE_URL": "postgres://concord@127.0.0.1:1/none"])
        let error = #expect(throws: ConcordError.self) { try ServerSecret.load(settings) }
        #expect(error?.detail.contains("CONCORD_SECRET_KEY is required on PostgreSQL") == true)
    }

    @Test func aKeyThatIsNotBase64IsRefusedNotReplacedByTheFile() throws {
        let settings = try configuration(["CONCORD_SECRET_KEY": "not base64 at all!"])
        let error = #expect(throws: ConcordError.self) { try ServerSecret.load(settings) }
        #expect(error?.detail.contains("base64 of at least 32 bytes") == true)
    }

    @Test func twoInstancesWithTheSameKeyVerifyEachOthersCursors() throws {
        let key = Data([UInt8](repeating: 7, count: 32)).base64EncodedString()
        let environment = ["DATABASE_URL": "postgres://concord@127.0.0.1:1/none", "CONCORD_SECRET_KEY": key]
        let first = try ServerSecret.load(try configuration(environment))
        let second = try ServerSecret.load(try configuration(environment))
        let cursor = first.signedCursor("after=42")
        #expect(second.cursorPayload(cursor) == "after=42")
        let other = try ServerSecret.load(
            configuration(["CONCORD_SECRET_KEY": Data([UInt8](repeating: 8, count: 32)).base64EncodedString()]))
        #expect(other.cursorPayload(cursor) == nil)
    }
}
