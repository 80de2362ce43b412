import ConcordCore
import Fluent
import Foundation

/// The directory page's answer to an address, AS number or domain typed in its search box: the
/// same answer as `concord lookup` and `GET /api/v1/lookup` (each team with what matched and why),
/// with each team's 24/7 contacts as links (`tel:`, `mailto:`) and the state of their OpenPGP keys,
/// the fallback said as such, and the link that reports an incident about the value.
struct LookupCard: Encodable {
    /// One published 24/7 contact of a team.
    struct Contact: Encodable {
        /// `phone-24x7`, `emergency-email`, …, as the team page names them.
        let kind: String
        let value: String
        /// `tel:+999…` or `mailto:…`; nil for contacts no link reaches (a messenger handle).
        let href: String?
        /// "OpenPGP key 0123…CDEF, expires 2027-03-01", "no OpenPGP key", or nil for phones.
        let key: String?
        /// True when the key has expired or has a finding (revoked, unreadable): do not encrypt to it.
        let keyUnusable: Bool
    }

    /// One responsible team.
    struct Match: Encodable {
        let slug: String
        let shortName: String
        let fullName: String
        let economy: String
        /// `prefix`, `asn`, `domain`, `national-team` or `secretariat`.
        let basis: String
        /// The sentence `concord lookup` prints: "198.51.100.110 in 198.51.100.104/29 of BP DSIRT".
        let reason: String
        let contacts: [Contact]
    }

    let query: String
    /// `ip`, `asn` or `domain`.
    let kind: String
    /// True when no team lists the value and the answer is the national team or the secretariat.
    let fallback: Bool
    let matches: [Match]
    /// `/incidents/new?observables=…`, when the viewer may report.
    let reportLink: String?

    /// The answer to `query` for a viewer; `economy` is the page's economy filter, used as the
    /// fallback hint as `concord lookup --economy` does.
    static func make(
        _ query: RoutingQuery, economy: String?, snapshot: RoutingSnapshot, mayReport: Bool, now: Date,
        on database: any Database
    ) async throws -> LookupCard {
        let answer = try LookupService.answer(query, economyHint: economy, snapshot: snapshot)
        let contacts = try await Self.contacts(
            of: answer.matches.map(\.team.id), snapshot: snapshot, now: now, on: database)
        let matches = answer.matches.map { match in
            Match(
                slug: match.team.slug, shortName: match.team.shortName, fullName: match.team.fullName,
                economy: match.team.economy, basis: match.basis, reason: match.reason,
                contacts: contacts[match.team.id] ?? [])
        }
        var link = URLComponents()
        link.path = Paths.newIncidentPage
        link.queryItems =
            [URLQueryItem(name: "observables", value: query.description)]
            + (economy.map { [URLQueryItem(name: "economy", value: $0)] } ?? [])
        return LookupCard(
            query: query.description, kind: answer.kind, fallback: answer.fallback, matches: matches,
            reportLink: mayReport ? link.string : nil)
    }

    /// The published 24/7 contacts of each team, as links with their keys' state.
    static func contacts(of teamIDs: [UUID], snapshot: RoutingSnapshot, now: Date, on database: any Database)
        async throws -> [UUID: [Contact]]
    {
        guard !teamIDs.isEmpty else { return [:] }
        let stored = try await ConcordServer.Contact.query(on: database).filter(\.$team.$id ~~ teamIDs).all()
        var keys: [String: ConcordServer.Contact] = [:]
        for contact in stored { keys["\(contact.$team.id) \(contact.value)"] = contact }
        var contacts: [UUID: [Contact]] = [:]
        for id in teamIDs {
            contacts[id] = (snapshot.teams[id]?.pointsOfContact ?? []).map { poc in
                card(poc, stored: keys["\(id) \(poc.value)"], now: now)
            }
        }
        return contacts
    }

    private static func card(_ poc: TeamCard.PointOfContact, stored: ConcordServer.Contact?, now: Date) -> Contact {
        let kind = ConcordServer.Contact.Kind(rawValue: poc.kind)
        let href: String?
        switch kind {
        case .phone247, .hotline:
            let dialled = poc.value.filter { ("0"..."9").contains($0) || $0 == "+" }
            href = dialled.isEmpty ? nil : "tel:" + dialled
        case .emergencyEmail, .generalEmail: href = "mailto:" + poc.value
        default: href = nil
        }
        guard kind?.isEmail == true else {
            return Contact(kind: poc.kind, value: poc.value, href: href, key: nil, keyUnusable: false)
        }
        guard let fingerprint = poc.pgpFingerprint else {
            return Contact(kind: poc.kind, value: poc.value, href: href, key: "no OpenPGP key", keyUnusable: true)
        }
        var key = "OpenPGP key \(fingerprint)"
        var unusable = false
        if let finding = stored?.pgpFinding {
            key += ": \(finding)"
            unusable = true
        } else if let expires = stored?.pgpExpiresAt {
            unusable = expires <= now
            key += unusable ? ", EXPIRED on \(ISODate.string(expires))" : ", expires \(ISODate.string(expires))"
        }
        return Contact(kind: poc.kind, value: poc.value, href: href, key: key, keyUnusable: unusable)
    }

    /// Whether a search box's text is meant as an address, AS number or domain rather than a team's
    /// name: it has a dot or a colon, or is a number or `AS` and a number.
    static func isNetworkValue(_ text: String) -> Bool {
        text.contains(".") || text.contains(":") || isASNumberShaped(text)
    }

    /// The query the text is, or why it is none (`RoutingQuery.refusal`): `AS0` or `4294967295` is
    /// refused as an AS number, not read as a one-label domain.
    static func parse(_ text: String) -> Result<RoutingQuery, LookupRefusal> {
        if isASNumberShaped(text), ASNumber(text) == nil { return .failure(LookupRefusal(RoutingQuery.refusal(text))) }
        guard let query = RoutingQuery(text) else { return .failure(LookupRefusal(RoutingQuery.refusal(text))) }
        return .success(query)
    }

    private static func isASNumberShaped(_ text: String) -> Bool {
        let digits = text.lowercased().hasPrefix("as") ? text.dropFirst(2) : Substring(text)
        return !digits.isEmpty && digits.allSatisfy { ("0"..."9").contains($0) }
    }
}

/// Why a search box's value is no address, AS number or domain.
struct LookupRefusal: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
