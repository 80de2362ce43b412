import ConcordCore
import ConcordTestTools
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Every column that holds a TLP label or a state only ever holds a valid one, and a value that
/// does not parse is refused where it is read, never taken for another label.
@Suite struct StoredValuesTests {
    private static func sql(_ app: Application) throws -> any SQLDatabase {
        try #require(app.db as? any SQLDatabase)
    }

    @Test(.needs(.gpg)) func theDemoForumStoresOnlyValidValues() async throws {
        try await withApp { app in
            _ = try await DemoLoader.load(app: app)
            #expect(try await Team.query(on: app.db).count() > 20)
            #expect(try await StoredValues.check(on: app.db) == [])
        }
    }

    @Test func anIncidentsWholeProcedureStoresOnlyValidValues() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let path = "/api/v1/incidents/\(forum.incidentNumber)"
            for (team, body, actor) in [
                ("singcert", ["event": "acknowledge"], Actor.handler), ("singcert", ["event": "start"], .handler),
                ("nuscert", ["event": "decline", "reason": "not-ours"], .teamAdminOther),
            ] {
                let answer = try await app.testing().send(
                    .POST, "\(path)/assignments/\(team)", headers: forum.headers(actor), body: json(body))
                #expect(answer.status == .ok, "\(team) \(body)")
            }
            let closed = try await app.testing().send(.POST, "\(path)/close", headers: forum.headers(.handler))
            #expect(closed.status == .ok)
            // validate
            #expect(StoredValues.checkedColumns.contains("incidents.tlp"))
            #expect(StoredValues.checkedColumns.contains("incident_assignments.state"))
            #expect(try await StoredValues.check(on: app.db) == [])
            let states = try await IncidentAssignment.query(on: app.db).all().map(\.state)
            #expect(states.contains(.inProgress) && states.contains(.declined), "the check saw written states")
        }
    }

    @Test func aLabelThatDoesNotParseIsNamedByTheCheckAndRefusedWhereItIsRead() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let incident = try #require(
                try await Incident.query(on: app.db).filter(\.$number == forum.incidentNumber).first())
            let number = incident.number
            // act: a hand edit writes a label Concord never writes
            try await Self.sql(app).raw(
                "UPDATE incidents SET tlp = 'TLP:PURPLE' WHERE number = \(bind: number)"
            ).run()
            try await Self.sql(app).raw("UPDATE teams SET status = 'dormant' WHERE slug = 'nuscert'").run()
            // validate
            let findings = try await StoredValues.check(on: app.db)
            #expect(findings.map(\.column).sorted() == ["incidents.tlp", "teams.status"])
            #expect(findings.first { $0.column == "incidents.tlp" }?.value == "TLP:PURPLE")
            #expect(findings.first { $0.column == "incidents.tlp" }?.rows == 1)
            for target in ["/api/v1/incidents", "/api/v1/incidents/\(number)"] {
                let read = try await app.testing().send(.GET, target, headers: forum.headers(.handler))
                #expect(read.status == .internalServerError, "\(target) refuses, it does not widen or narrow")
                #expect(!read.body.string.contains(incident.title) && !read.body.string.contains("TLP:RED"))
                #expect(!read.body.string.contains("TLP:AMBER"))
            }
        }
    }

    @Test func theStoredValueErrorNamesTheColumnAndTheValue() {
        let error = StoredValueError(column: "incidents.tlp", value: "TLP:PURPLE", type: "TLPLabel")
        #expect(error.description == "incidents.tlp holds 'TLP:PURPLE', which is not a TLPLabel")
    }
}
