import ConcordCore
import Vapor

/// `GET /api/v1/lookup?ip=…|asn=…|domain=…[&economy=…]`: who is responsible, and why.
struct LookupController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.constant(Paths.lookup), use: lookup)
    }

    @Sendable func lookup(req: Request) async throws -> LookupResultDTO {
        try req.policy.require(.lookup)
        let query = try Self.parseQuery(req)
        let snapshot = try await req.application.routingDirectory.current(on: req.db)
        return try LookupService.answer(query, economyHint: req.query[String.self, at: "economy"], snapshot: snapshot)
    }

    private static func parseQuery(_ req: Request) throws -> RoutingQuery {
        let given = ["ip", "asn", "domain"].compactMap { key in req.query[String.self, at: key].map { (key, $0) } }
        guard given.count == 1, let (key, value) = given.first else {
            throw ConcordError.invalid(field: "ip", "give exactly one of ip, asn or domain")
        }
        switch key {
        case "ip":
            guard let address = IPAddress(value) else {
                throw ConcordError.invalid(field: "ip", "'\(value)' is not an IP address")
            }
            return .ip(address)
        case "asn":
            guard let asn = ASNumber(value) else {
                throw ConcordError.invalid(field: "asn", "'\(value)' is not an AS number in 1–4294967294")
            }
            return .asn(asn)
        default:
            switch DomainName.parse(value) {
            case .success(let name): return .domain(name)
            case .failure(let error): throw ConcordError.invalid(field: "domain", "\(error)")
            }
        }
    }
}

/// Turns a routing decision into the lookup answer; shared by the API and `concord lookup`.
enum LookupService {
    static func answer(_ query: RoutingQuery, economyHint: String?, snapshot: RoutingSnapshot) throws -> LookupResultDTO
    {
        var economy: UUID? = nil
        if let hint = economyHint, !hint.isEmpty {
            economy = UUID(uuidString: hint) ?? snapshot.economyByCode[hint.lowercased()]
            guard economy != nil else { throw ConcordError.invalid(field: "economy", "unknown economy '\(hint)'") }
        } else if case .domain(let name) = query, let tld = name.labels.last {
            economy = snapshot.economyByCode[tld]
        }
        let matches = snapshot.table.route(query, economy: economy?.uuidString)
        let kind: String
        switch query {
        case .ip: kind = "ip"
        case .asn: kind = "asn"
        case .domain: kind = "domain"
        }
        return LookupResultDTO(
            query: query.description, kind: kind,
            fallback: matches.contains {
                if case .nationalTeam = $0.reason { return true }
                return $0.reason == .secretariat
            },
            matches: matches.compactMap { match in
                guard let card = snapshot.teams[match.team] else { return nil }
                let (basis, matched): (String, String)
                switch match.reason {
                case .prefix(let prefix): (basis, matched) = ("prefix", prefix.description)
                case .asn(let asn): (basis, matched) = ("asn", asn.description)
                case .domain(let name): (basis, matched) = ("domain", name.description)
                case .nationalTeam(let key):
                    (basis, matched) = (
                        "national-team", UUID(uuidString: key).flatMap { snapshot.economyNames[$0] } ?? key
                    )
                case .secretariat: (basis, matched) = ("secretariat", "no match")
                }
                let economyName = basis == "national-team" ? matched : nil
                let reason = match.explanation(
                    query: query.description, teamName: card.shortName, economyName: economyName)
                return .init(team: card, basis: basis, matched: matched, reason: reason)
            })
    }
}
