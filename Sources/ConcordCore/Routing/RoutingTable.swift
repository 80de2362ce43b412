/// One element of a team's constituency, as used for routing.
public enum ConstituencyItem: Hashable, Sendable {
    case prefix(IPPrefix)
    case asn(ASNumber)
    case domain(DomainName)
    /// National responsibility for the economy with this key (the server uses the economy's id).
    case economy(String)
}

/// What a routing query asks about.
public enum RoutingQuery: Hashable, Sendable, CustomStringConvertible {
    case ip(IPAddress)
    case asn(ASNumber)
    case domain(DomainName)

    /// Reads an IP address, `AS` number or domain name, in that order of preference.
    public init?(_ text: String) {
        if let address = IPAddress(text) {
            self = .ip(address)
        } else if let asn = ASNumber(text), text.lowercased().hasPrefix("as") || Int(text) != nil {
            self = .asn(asn)
        } else if let name = DomainName(text) {
            self = .domain(name)
        } else {
            return nil
        }
    }

    /// Why `text` is no query, as a person reads it: a dotted quad that is no IPv4 address and a
    /// value with colons that is no IPv6 address are named as such, not as a domain that failed.
    public static func refusal(_ text: String) -> String {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigitCharacter) }) {
            return "'\(text)' is not an IPv4 address: each of its four numbers is 0 to 255"
        }
        if text.contains(":") { return "'\(text)' is not an IPv6 address" }
        if text.lowercased().hasPrefix("as"), text.dropFirst(2).allSatisfy(\.isASCIIDigitCharacter) {
            return "'\(text)' is not an AS number in 1–4294967294"
        }
        if case .failure(let error) = DomainName.parse(text) {
            return "'\(text)' is not an IP address, AS number or domain: \(error)"
        }
        return "'\(text)' is not an IP address, AS number or domain"
    }

    public var description: String {
        switch self {
        case .ip(let address): return address.description
        case .asn(let asn): return asn.description
        case .domain(let name): return name.description
        }
    }
}

/// Why a team was chosen.
public enum RoutingReason: Hashable, Sendable, CustomStringConvertible {
    /// The address lies in this prefix of the team's constituency.
    case prefix(IPPrefix)
    /// The team's constituency lists this AS.
    case asn(ASNumber)
    /// The name lies under this suffix of the team's constituency.
    case domain(DomainName)
    /// Nothing matched; the team has national responsibility for the economy.
    case nationalTeam(economy: String)
    /// Nothing matched and no national team is known; the secretariat triages.
    case secretariat

    public var description: String {
        switch self {
        case .prefix(let prefix): return "in \(prefix)"
        case .asn(let asn): return "\(asn)"
        case .domain(let name): return "under \(name)"
        case .nationalTeam(let economy): return "national team of \(economy)"
        case .secretariat: return "secretariat triage"
        }
    }
}

/// A team the query routes to, with the reason.
public struct RoutingMatch<Team: Hashable & Sendable>: Hashable, Sendable {
    /// The team.
    public let team: Team
    /// Why it was chosen.
    public let reason: RoutingReason
}

/// The forum's routing table: which team is responsible for an address, AS or domain.
///
/// Matches come most specific first (longer prefix, longer suffix). When nothing matches, the
/// national team of the economy (if the caller knows it) answers, and failing that the secretariat.
public struct RoutingTable<Team: Hashable & Sendable>: Sendable {
    private let prefixes: PrefixIndex<Team>
    private let asns: [ASNumber: [Team]]
    private let domains: DomainSuffixIndex<Team>
    private let nationalTeams: [String: [Team]]
    private let secretariat: [Team]

    /// Builds the table from each team's constituency; `secretariat` is the triage fallback.
    public init(constituencies: [(Team, ConstituencyItem)], secretariat: [Team]) {
        var prefixPairs: [(IPPrefix, Team)] = []
        var domainPairs: [(DomainName, Team)] = []
        var asns: [ASNumber: [Team]] = [:]
        var national: [String: [Team]] = [:]
        for (team, item) in constituencies {
            switch item {
            case .prefix(let prefix): prefixPairs.append((prefix, team))
            case .asn(let asn): asns[asn, default: []].append(team)
            case .domain(let name): domainPairs.append((name, team))
            case .economy(let key): national[key, default: []].append(team)
            }
        }
        prefixes = PrefixIndex(prefixPairs)
        domains = DomainSuffixIndex(domainPairs)
        self.asns = asns
        nationalTeams = national
        self.secretariat = secretariat
    }

    /// The direct matches of a query, most specific first, without fallbacks.
    public func directMatches(_ query: RoutingQuery) -> [RoutingMatch<Team>] {
        switch query {
        case .ip(let address):
            return prefixes.matches(address).flatMap { entry in
                entry.values.map { RoutingMatch(team: $0, reason: .prefix(entry.prefix)) }
            }
        case .asn(let asn):
            return (asns[asn] ?? []).map { RoutingMatch(team: $0, reason: .asn(asn)) }
        case .domain(let name):
            return domains.matches(name).flatMap { match in
                match.values.map { RoutingMatch(team: $0, reason: .domain(match.suffix)) }
            }
        }
    }

    /// The first of `directMatches(query)`, without building the list: a feed import asks this
    /// once per event.
    public func mostSpecificTeam(_ query: RoutingQuery) -> Team? {
        switch query {
        case .ip(let address): return prefixes.longestMatch(address)?.values.first
        case .asn(let asn): return asns[asn]?.first
        case .domain(let name): return domains.longestMatch(name)?.first
        }
    }

    /// The direct matches, or else the national team of `economy`, or else the secretariat.
    public func route(_ query: RoutingQuery, economy: String? = nil) -> [RoutingMatch<Team>] {
        let direct = directMatches(query)
        if !direct.isEmpty { return direct }
        if let economy, let teams = nationalTeams[economy], !teams.isEmpty {
            return teams.map { RoutingMatch(team: $0, reason: .nationalTeam(economy: economy)) }
        }
        return secretariat.map { RoutingMatch(team: $0, reason: .secretariat) }
    }

    /// The teams with national responsibility for the economy with this key.
    public func nationalTeams(of economy: String) -> [Team] { nationalTeams[economy] ?? [] }
}

extension RoutingMatch {
    /// The reason as a sentence for people, the same in lookups and incident routing:
    /// "203.0.113.7 in 203.0.113.0/25 of JPCERT/CC". `query` is what was looked up as written
    /// (an observable may be a URL whose host matched); `economyName` names a national team's economy.
    public func explanation(query: String, teamName: String, economyName: String? = nil) -> String {
        switch reason {
        case .prefix(let prefix): return "\(query) in \(prefix) of \(teamName)"
        case .asn(let asn): return "\(query): \(asn) of \(teamName)"
        case .domain(let suffix): return "\(query) under \(suffix) of \(teamName)"
        case .nationalTeam(let economy):
            return "\(query): no constituency matches; \(teamName) is the national team of \(economyName ?? economy)"
        case .secretariat: return "\(query): no constituency matches; \(teamName) triages as the secretariat"
        }
    }
}

extension Character {
    /// 0 to 9 only (not the other scripts' digits `isNumber` takes).
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
