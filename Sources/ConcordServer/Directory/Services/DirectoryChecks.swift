import Fluent
import Vapor

/// What keeps the directory from being true: contacts not verified in 90 days, keys that expire
/// within 30 days, keys with findings (expired, revoked, unparsable), and active teams without a
/// published 24/7 contact. Limited to the contacts the viewer may see.
enum DirectoryChecks {
    /// One finding.
    struct Finding: Content, Equatable {
        let team: String
        let teamName: String
        let kind: String
        let contact: String?
        let detail: String
    }

    static let staleAfterDays = 90
    static let expiringWithinDays = 30

    static func findings(policy: Policy, on db: any Database, now: Date) async throws -> [Finding] {
        try policy.require(.readDirectory)
        let staleBefore = ISODate.string(now.addingTimeInterval(-Double(staleAfterDays) * 86_400))
        let expiringBefore = now.addingTimeInterval(Double(expiringWithinDays) * 86_400)
        let teams = try await Team.query(on: db).filter(\.$status == TeamStatus.active)
            .with(\.$contacts).sort(\.$slug).all()
        var findings: [Finding] = []
        for team in teams {
            func add(_ kind: String, _ contact: String?, _ detail: String) {
                findings.append(
                    Finding(team: team.slug, teamName: team.shortName, kind: kind, contact: contact, detail: detail))
            }
            if !team.contacts.contains(where: { $0.availability == .always && $0.published }) {
                add("no-24x7-contact", nil, "lists no published 24/7 point of contact")
            }
            for contact in policy.visible(team.contacts, of: try team.requireID()) {
                if (contact.lastVerifiedOn ?? "") < staleBefore {
                    add("contact-not-verified", contact.value, "not verified since \(contact.lastVerifiedOn ?? "ever")")
                }
                if let finding = contact.pgpFinding {
                    add("key-\(finding)", contact.value, "OpenPGP key \(contact.pgpFingerprint ?? "") is \(finding)")
                } else if let expires = contact.pgpExpiresAt, expires <= expiringBefore {
                    add(
                        "key-expiring", contact.value,
                        "OpenPGP key \(contact.pgpFingerprint ?? "") expires on \(ISODate.string(expires))")
                }
            }
        }
        return findings
    }
}
