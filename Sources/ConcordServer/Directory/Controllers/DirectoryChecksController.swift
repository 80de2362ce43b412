import Fluent
import Vapor

/// `GET /api/v1/directory-checks`: what keeps the directory from being true — contacts not
/// verified in 90 days, keys that expire within 30 days, keys with findings (expired, revoked,
/// unparsable), and active teams without a 24/7 contact. Visible to every member, limited to the
/// contacts the viewer may see.
struct DirectoryChecksController: RouteCollection {
    /// One finding.
    struct Finding: Content {
        let team: String
        let kind: String
        let contact: String?
        let detail: String
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.checks), use: checks)
    }

    @Sendable func checks(req: Request) async throws -> [Finding] {
        try req.policy.require(.readDirectory)
        let now = Date()
        let staleBefore = ISODate.string(now.addingTimeInterval(-90 * 86_400))
        let expiringBefore = now.addingTimeInterval(30 * 86_400)
        let teams = try await Team.query(on: req.db).filter(\.$status == TeamStatus.active.rawValue)
            .with(\.$contacts).sort(\.$slug).all()
        var findings: [Finding] = []
        for team in teams {
            let contacts = req.policy.visible(team.contacts, of: try team.requireID())
            if !team.contacts.contains(where: { $0.availability == .always && $0.published }) {
                findings.append(Finding(team: team.slug, kind: "no-24x7-contact", contact: nil,
                                        detail: "\(team.shortName) lists no published 24/7 point of contact"))
            }
            for contact in contacts {
                if (contact.lastVerifiedOn ?? "") < staleBefore {
                    findings.append(Finding(team: team.slug, kind: "contact-not-verified", contact: contact.value,
                                            detail: "not verified since \(contact.lastVerifiedOn ?? "ever")"))
                }
                if let finding = contact.pgpFinding {
                    findings.append(Finding(team: team.slug, kind: "key-\(finding)", contact: contact.value,
                                            detail: "OpenPGP key \(contact.pgpFingerprint ?? "") is \(finding)"))
                } else if let expires = contact.pgpExpiresAt, expires <= expiringBefore {
                    findings.append(Finding(team: team.slug, kind: "key-expiring", contact: contact.value,
                                            detail: "OpenPGP key \(contact.pgpFingerprint ?? "") expires on \(ISODate.string(expires))"))
                }
            }
        }
        return findings
    }
}
