import Fluent
import Foundation
import Vapor

@testable import ConcordServer

/// The people a test acts as.
enum Actor: String, CaseIterable, Sendable {
    case anonymous
    case observer  // observer of singcert
    case handler  // handler of singcert
    case teamAdminOther = "team-admin-other"  // team-admin of nuscert
    case teamAdmin = "team-admin"  // team-admin of singcert
    case secretariat  // secretariat of jpcert-cc
    case forumAdmin = "forum-admin"  // forum-admin of jpcert-cc
}

/// A small forum for tests: Japan and Singapore, JPCERT/CC (secretariat), SingCERT (national team
/// of Singapore, 198.51.100.96/27) and NUSCERT (a /29 inside it), a user and token per actor.
struct TestForum {
    var tokens: [Actor: String] = [:]
    var singcertContactID = UUID()
    var singcertPrivateContactID = UUID()
    var japanID = UUID()
    /// A TLP:GREEN incident reported by SingCERT's handler, assigned to SingCERT and NUSCERT.
    var incidentNumber = ""
    var singaporeID = UUID()

    static func seed(_ app: Application) async throws -> TestForum {
        var forum = TestForum()
        let full = MembershipCategory(slug: "full", name: "Full member", mayVote: true, takesPartInDrills: true)
        try await full.create(on: app.db)
        try await MembershipCategory(slug: "general", name: "General member", mayVote: false, takesPartInDrills: true)
            .create(on: app.db)
        let japan = Economy(name: "Japan", isoCode: "JP")
        let singapore = Economy(name: "Singapore", isoCode: "SG")
        try await japan.create(on: app.db)
        try await singapore.create(on: app.db)
        forum.japanID = try japan.requireID()
        forum.singaporeID = try singapore.requireID()
        let jpcert = try await makeTeam(
            "jpcert-cc", "JPCERT/CC", economy: japan, category: full, secretariat: true, on: app.db)
        let singcert = try await makeTeam(
            "singcert", "SingCERT", economy: singapore, category: full, secretariat: false, on: app.db)
        let nuscert = try await makeTeam(
            "nuscert", "NUSCERT", economy: singapore, category: full, secretariat: false, on: app.db)
        for (team, kind, value) in [
            (singcert, ConstituencyEntry.Kind.prefix, "198.51.100.96/27"),
            (singcert, .economy, forum.singaporeID.uuidString),
            (singcert, .domain, "sg.example"), (nuscert, .prefix, "198.51.100.112/29"), (nuscert, .asn, "64500"),
            (nuscert, .domain, "nus.sg.example"), (jpcert, .prefix, "2001:db8:800::/40"),
        ] {
            try await ConstituencyEntry(teamID: try team.requireID(), kind: kind, value: value).create(on: app.db)
        }
        let published = Contact()
        published.$team.id = try singcert.requireID()
        published.kind = .emergencyEmail
        published.value = "cert@sg.example"
        published.availability = .always
        published.published = true
        published.lastVerifiedOn = ISODate.string(Date())
        try await published.create(on: app.db)
        forum.singcertContactID = try published.requireID()
        let hidden = Contact()
        hidden.$team.id = try singcert.requireID()
        hidden.kind = .hotline
        hidden.value = "+999 5551 0000 (internal bridge)"
        hidden.availability = .always
        hidden.published = false
        hidden.lastVerifiedOn = ISODate.string(Date())
        try await hidden.create(on: app.db)
        forum.singcertPrivateContactID = try hidden.requireID()

        let members: [(Actor, Team, Role)] = [
            (.observer, singcert, .observer), (.handler, singcert, .handler), (.teamAdminOther, nuscert, .teamAdmin),
            (.teamAdmin, singcert, .teamAdmin), (.secretariat, jpcert, .secretariat),
            (.forumAdmin, jpcert, .forumAdmin),
        ]
        for (actor, team, role) in members {
            let user = User(
                email: "\(actor.rawValue)@test.example", displayName: actor.rawValue, teamID: try team.requireID(),
                role: role, passwordHash: try app.password.hash("correct horse \(actor.rawValue)"))
            try await user.create(on: app.db)
            forum.tokens[actor] = try await TokenService.issue(
                for: user, name: "test", scopes: [.read, .write],
                expiresAt: nil, on: app.db
            ).secret
        }
        forum.incidentNumber = try await forum.seedIncident(app, reporter: singcert, assigned: [singcert, nuscert])
        try await app.routingDirectory.rebuild(on: app.db)
        return forum
    }

    /// The seeded incident takes its number from the counter, as a report does.
    private func seedIncident(_ app: Application, reporter: Team, assigned: [Team]) async throws -> String {
        guard let handler = try await User.query(on: app.db).filter(\.$email == "handler@test.example").first() else {
            return ""
        }
        let incident = Incident()
        incident.number = try await IncidentNumbers.next(at: Date(), on: app.db)
        incident.title = "Seeded scan report"
        incident.details = ""
        incident.$reporterTeam.id = try reporter.requireID()
        incident.$reporterUser.id = try handler.requireID()
        incident.taxonomy = "information-gathering"
        incident.type = "scanner"
        incident.severity = "low"
        incident.tlp = .green
        incident.reportedAt = Date()
        try await incident.create(on: app.db)
        for team in assigned {
            try await IncidentAssignment(
                incidentID: try incident.requireID(), teamID: try team.requireID(),
                reasons: ["seeded"], deadline: nil
            ).create(on: app.db)
        }
        return incident.number
    }

    func headers(_ actor: Actor) -> HTTPHeaders {
        var headers = HTTPHeaders()
        if let token = tokens[actor] { headers.bearerAuthorization = BearerAuthorization(token: token) }
        return headers
    }

    static func makeTeam(
        _ slug: String, _ name: String, economy: Economy, category: MembershipCategory,
        secretariat: Bool, on db: any Database
    ) async throws -> Team {
        let team = Team()
        team.slug = slug
        team.shortName = name
        team.fullName = name + " (test)"
        team.hostOrganisation = "Test host"
        team.$economy.id = try economy.requireID()
        team.$category.id = try category.requireID()
        team.status = .active
        team.businessHours = "Mon-Fri 09:00-17:00"
        team.timeZone = "Asia/Singapore"
        team.teamDescription = ""
        team.isSecretariat = secretariat
        team.internalNotes = "private note of \(slug)"
        team.rfc2350Distribution = ""
        team.rfc2350Authenticity = ""
        team.rfc2350Constituency = ""
        team.rfc2350Sponsorship = ""
        team.rfc2350Authority = ""
        team.rfc2350Policies = ""
        team.rfc2350Services = ""
        team.rfc2350ReportingForms = ""
        try await team.create(on: db)
        return team
    }
}
