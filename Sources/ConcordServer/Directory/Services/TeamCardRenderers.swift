import Foundation

/// Renders a team as RFC 2350 text and its contacts as a vCard 4.0 (RFC 6350). Both are built from
/// a `TeamDTO`, so they hold exactly what the viewer may see.
enum TeamCardRenderers {
    /// The RFC 2350 template, sections 1–7, filled from the profile.
    static func rfc2350(_ team: TeamDTO) -> String {
        let emails = team.contacts.filter { $0.kind == .emergencyEmail || $0.kind == .generalEmail }
        let phones = team.contacts.filter { $0.kind == .phone247 || $0.kind == .hotline }
        let keys = team.contacts.compactMap { contact in contact.pgp?.fingerprint.map { "\(contact.value): \($0)" } }
        func section(_ number: String, _ title: String, _ body: String) -> String {
            "\(number) \(title)\n\n"
                + (body.isEmpty
                    ? "   (not stated)"
                    : body.split(separator: "\n", omittingEmptySubsequences: false).map { "   \($0)" }.joined(
                        separator: "\n")) + "\n"
        }
        return [
            "Description of \(team.shortName) according to RFC 2350\n"
                + String(repeating: "=", count: 44 + team.shortName.count) + "\n",
            "1. Document Information\n",
            section("1.1", "Date of Last Update", team.rfc2350.updatedOn ?? ""),
            section("1.2", "Distribution List for Notifications", team.rfc2350.distribution ?? ""),
            section("1.3", "Locations where this Document May Be Found", team.website ?? ""),
            section("1.4", "Authenticating this Document", team.rfc2350.authenticity ?? ""),
            "2. Contact Information\n",
            section("2.1", "Name of the Team", "\(team.shortName): \(team.fullName)"),
            section("2.2", "Address", team.hostOrganisation),
            section("2.3", "Time Zone", team.timeZone),
            section(
                "2.4", "Telephone Number",
                phones.map { "\($0.value) (\($0.availability.rawValue))" }.joined(separator: "\n")),
            section(
                "2.7", "Electronic Mail Address",
                emails.map { "\($0.value) (\($0.kind.rawValue), \($0.availability.rawValue))" }.joined(separator: "\n")),
            section("2.8", "Public Keys and Encryption Information", keys.joined(separator: "\n")),
            section("2.10", "Points of Customer Contact", "Business hours: \(team.businessHours) (\(team.timeZone))"),
            "3. Charter\n",
            section(
                "3.2", "Constituency",
                [
                    team.rfc2350.constituency ?? "", team.constituency.prefixes.joined(separator: " "),
                    team.constituency.asns.joined(separator: " "), team.constituency.domains.joined(separator: " "),
                ]
                .filter { !$0.isEmpty }.joined(separator: "\n")),
            section("3.3", "Sponsorship and/or Affiliation", team.rfc2350.sponsorship ?? ""),
            section("3.4", "Authority", team.rfc2350.authority ?? ""),
            "4. Policies\n",
            section("4.1", "Types of Incidents and Level of Support", team.rfc2350.policies ?? ""),
            "5. Services\n",
            section("5.1", "Services", team.rfc2350.services ?? ""),
            "6. Incident Reporting Forms\n",
            section("6", "Forms", team.rfc2350.reportingForms ?? ""),
        ].joined(separator: "\n")
    }

    /// One vCard of kind `org` with every visible contact; e-mail contacts carry their key fingerprint.
    static func vCard(_ team: TeamDTO) -> String {
        var lines = [
            "BEGIN:VCARD", "VERSION:4.0", "KIND:org", "FN:\(escape(team.shortName))", "ORG:\(escape(team.fullName))",
        ]
        if let website = team.website { lines.append("URL:\(escape(website))") }
        lines.append("TZ:\(escape(team.timeZone))")
        for contact in team.contacts {
            let type = contact.availability == .always ? "work,x-24x7" : "work"
            switch contact.kind {
            case .phone247, .hotline:
                lines.append("TEL;TYPE=\"voice,\(type)\";VALUE=text:\(escape(contact.value))")
            case .emergencyEmail, .generalEmail:
                lines.append("EMAIL;TYPE=\"\(type)\":\(escape(contact.value))")
                if let fingerprint = contact.pgp?.fingerprint {
                    lines.append("KEY;MEDIATYPE=application/pgp-keys;VALUE=text:OPENPGP4FPR:\(fingerprint)")
                }
            case .secureMessenger:
                lines.append("IMPP:\(escape(contact.value))")
            }
        }
        lines.append("END:VCARD")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 6350 §3.4 text escaping.
    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ",", with: "\\,")
            .replacingOccurrences(of: ";", with: "\\;").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// RFC 6350 §3.2 line folding at 75 octets.
    private static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.append(character)
            count += size
        }
        return result
    }
}
