import ConcordTestTools
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

@Suite struct DirectoryExchangeTests {
    @Test func jsonExportImportRoundTrip() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let admin = forum.headers(.secretariat)
            let exported = try await app.testing().send(.GET, "/api/v1/directory/export.json", headers: admin)
            var document = try exported.content.decode(DirectoryDocument.self)
            #expect(document.teams.map(\.slug) == ["jpcert-cc", "nuscert", "singcert"])
            // act: change one team, add a new economy and team, import
            document.teams[2].fullName = "Singapore CERT (renamed)"
            document.teams[2].constituency.prefixes.append("2001:db8:a00::/40")
            document.economies.append(.init(name: "Mongolia", isoCode: "MN"))
            var newTeam = document.teams[0]
            newTeam.slug = "moncirt"
            newTeam.shortName = "MonCIRT"
            newTeam.economy = "MN"
            newTeam.isSecretariat = false
            newTeam.constituency = .init(prefixes: ["192.0.2.64/27"], economies: ["MN"])
            newTeam.contacts = [
                .init(kind: "emergency-email", value: "cert@mn.example", availability: "24x7", published: true)
            ]
            document.teams.append(newTeam)
            let imported = try await app.testing().send(
                .POST, "/api/v1/directory/import", headers: admin, body: json(document))
            // validate
            #expect(imported.status == .ok)
            #expect(
                try imported.content.decode(DirectoryImporter.Summary.self)
                    == .init(economiesCreated: 1, teamsCreated: 1, teamsUpdated: 3))
            let again = try await app.testing().send(.GET, "/api/v1/directory/export.json", headers: admin)
            let reexported = try again.content.decode(DirectoryDocument.self)
            #expect(reexported.teams.first { $0.slug == "singcert" } == document.teams[2])
            #expect(reexported.teams.first { $0.slug == "moncirt" }?.constituency == newTeam.constituency)
            let lookup = try await app.testing().send(.GET, "/api/v1/lookup?ip=192.0.2.70", headers: admin)
            #expect(
                try lookup.content.decode(LookupResultDTO.self).matches.map(\.team.slug) == ["moncirt"],
                "routing rebuilt after import")
        }
    }

    @Test func importIsAllOrNothing() async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let admin = forum.headers(.forumAdmin)
            var document = try await app.testing().send(.GET, "/api/v1/directory/export.json", headers: admin).content
                .decode(DirectoryDocument.self)
            document.teams[0].fullName = "Changed"
            document.teams[2].constituency.prefixes = ["198.51.100.96/27", "10.0.0.1/8"]
            document.teams[1].contacts.append(.init(kind: "fax", value: "x", availability: "24x7", published: true))
            document.teams[1].economy = "Atlantis"
            let before = try await ConstituencyEntry.query(on: app.db).count()
            // act
            let response = try await app.testing().send(
                .POST, "/api/v1/directory/import", headers: admin, body: json(document))
            // validate
            #expect(response.status == .unprocessableEntity)
            let problem = try JSONDecoder().decode(DirectoryAPITests.Problem.self, from: Data(buffer: response.body))
            #expect(
                Set(problem.errors?.map(\.field) ?? []) == [
                    "teams[1].economy", "teams[1].contacts[0].kind", "teams[2].constituency.prefixes[1]",
                ])
            #expect(
                try await Team.query(on: app.db).filter(\.$slug == "jpcert-cc").first()?.fullName == "JPCERT/CC (test)")
            #expect(try await ConstituencyEntry.query(on: app.db).count() == before)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "directory.import").count() == 0)
        }
    }

    @Test(.needs(.gpg)) func csvRoundTripKeepsKeys() async throws {
        try await withApp { app in
            // setup: give SingCERT's emergency address a key
            let forum = try await TestForum.seed(app)
            let admin = forum.headers(.secretariat)
            let key = try await DemoKeyMaker(gnupg: LiveGnuPG(path: "gpg"), now: app.clock.now()).makeKey(
                name: "SingCERT", email: "cert@sg.example", createdDaysAgo: 1, validDays: 400)
            _ = try await app.testing().send(
                .PATCH, "/api/v1/teams/singcert/contacts/\(forum.singcertContactID)", headers: admin,
                body: json(["pgpKey": key]))
            let csv = String(
                buffer: try await app.testing().send(.GET, "/api/v1/directory/export.csv", headers: admin).body)
            #expect(csv.hasPrefix(DirectoryExporter.csvColumns.joined(separator: ",")))
            // act
            let edited = csv.replacingOccurrences(of: "SingCERT (test)", with: "\"SingCERT, edited in a spreadsheet\"")
            let response = try await app.testing().send(
                .POST, "/api/v1/directory/import", headers: admin,
                body: ByteBuffer(string: edited), contentType: HTTPMediaType(type: "text", subType: "csv"))
            // validate
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let team = try await app.testing().send(.GET, "/api/v1/teams/singcert", headers: admin).content.decode(
                TeamDTO.self)
            #expect(team.fullName == "SingCERT, edited in a spreadsheet")
            #expect(
                team.contacts.first { $0.value == "cert@sg.example" }?.pgp?.fingerprint?.count == 40,
                "the CSV carries no keys; the stored one stays")
            #expect(team.contacts.contains { $0.kind == .hotline }, "kinds the CSV does not carry are left alone")
            #expect(team.constituency.prefixes == ["198.51.100.96/27"])
            let broken = try await app.testing().send(
                .POST, "/api/v1/directory/import", headers: admin,
                body: ByteBuffer(string: "slug,short_name\nx,y\n"),
                contentType: HTTPMediaType(type: "text", subType: "csv"))
            #expect(broken.status == .unprocessableEntity)
        }
    }

    @Test func rfc2350AndVCardShowWhatTheViewerMaySee() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let text = String(
                buffer: try await app.testing().send(
                    .GET, "/api/v1/teams/singcert/rfc2350.txt", headers: forum.headers(.teamAdminOther)
                ).body)
            #expect(
                text.contains("2.7 Electronic Mail Address") && text.contains("cert@sg.example (emergency-email, 24x7)")
            )
            #expect(text.contains("198.51.100.96/27"))
            let card = String(
                buffer: try await app.testing().send(
                    .GET, "/api/v1/teams/singcert/contacts.vcf", headers: forum.headers(.teamAdminOther)
                ).body)
            #expect(
                card.hasPrefix("BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:SingCERT\r\n")
                    && card.hasSuffix("END:VCARD\r\n"))
            #expect(card.contains("EMAIL;TYPE=\"work,x-24x7\":cert@sg.example"))
            #expect(!card.contains("internal bridge"), "unpublished contacts stay with the team")
            let own = String(
                buffer: try await app.testing().send(
                    .GET, "/api/v1/teams/singcert/contacts.vcf", headers: forum.headers(.observer)
                ).body)
            #expect(own.contains("internal bridge"))
        }
    }
}

@Suite struct DirectoryTransferTests {
    @Test func commandLineExportAndImportRoundTrip() async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            let json = try await DirectoryTransfer.export(.json, app: app)
            #expect(json.contains("internal bridge"), "the operator's export holds private contacts")
            // act
            let edited = json.replacingOccurrences(of: "\"NUSCERT (test)\"", with: "\"NUSCERT (from a file)\"")
            let summary = try await DirectoryTransfer.importText(edited, app: app)
            let csvSummary = try await DirectoryTransfer.importText(
                try await DirectoryTransfer.export(.csv, app: app), app: app)
            // validate
            #expect(summary == "imported: 0 team(s) created, 3 updated, 0 economie(s) created")
            #expect(csvSummary == summary)
            #expect(
                try await Team.query(on: app.db).filter(\.$slug == "nuscert").first()?.fullName
                    == "NUSCERT (from a file)")
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "directory.import").all()
            #expect(audit.count == 2 && audit.allSatisfy { $0.actor == "cli" })
            await #expect(throws: ConcordError.self) {
                _ = try await DirectoryTransfer.importText("{\"format\": 1}", app: app)
            }
        }
    }
}

@Suite struct AcknowledgementPromiseTests {
    /// A team's own acknowledgement promise sets its deadlines and travels with the directory.
    @Test func thePromiseSetsDeadlinesAndIsExportedAndImported() async throws {
        try await withApp { app in
            let forum = try await TestForum.seed(app)
            let admin = forum.headers(.secretariat)
            let set = try await app.testing().send(
                .PATCH, "/api/v1/teams/singcert", headers: forum.headers(.teamAdmin),
                body: json(["acknowledgementMinutes": 45]))
            let tooLong = try await app.testing().send(
                .PATCH, "/api/v1/teams/singcert", headers: forum.headers(.teamAdmin),
                body: json(["acknowledgementMinutes": 20_000]))
            let incident = try await IncidentTests.report(
                [
                    "title": "Scan", "classification": "information-gathering/scanner", "tlp": "TLP:GREEN",
                    "observables": AnyEncodable([["value": "198.51.100.100"]]),
                ], as: .handler, forum: forum, app: app
            ).content.decode(IncidentDTO.self)
            var document = try await app.testing().send(.GET, "/api/v1/directory/export.json", headers: admin)
                .content.decode(DirectoryDocument.self)
            let exported = document.teams.first { $0.slug == "singcert" }?.acknowledgementMinutes
            document.teams = document.teams.map { team in
                var team = team
                if team.slug == "singcert" { team.acknowledgementMinutes = 0 }
                return team
            }
            let imported = try await app.testing().send(
                .POST, "/api/v1/directory/import", headers: admin, body: json(document))
            let team = try await app.testing().send(.GET, "/api/v1/teams/singcert", headers: admin)
                .content.decode(TeamDTO.self)
            #expect(set.status == .ok && tooLong.status == .unprocessableEntity)
            let deadline = try #require(incident.assignments.first { $0.team == "singcert" }?.deadline)
            #expect(abs(deadline.timeIntervalSince(incident.reportedAt) - 45 * 60) < 2)
            #expect(exported == 45)
            #expect(imported.status == .ok && team.acknowledgementMinutes == nil, "0 returns to the forum default")
        }
    }
}
