import Foundation

/// One event of a bulk feed (a scanner, a sinkhole, a honeypot), in the fields Concord routes,
/// groups and counts by. The names follow IntelMQ's harmonisation (`source.ip`, `feed.name`, …).
public struct FeedEvent: Hashable, Sendable {
    public var sourceIP: IPAddress?
    public var sourceASN: ASNumber?
    public var sourceFQDN: DomainName?
    public var sourcePort: Int?
    /// `source.geolocation.cc`: the economy to fall back to when no constituency matches.
    public var sourceCountry: String?
    public var classification: RSITClassification
    /// `classification.identifier`: what exactly was seen (`openresolver`, `mirai`, …).
    public var identifier: String?
    public var timeSource: Date?
    public var feedName: String
    public var feedProvider: String?

    public init(
        sourceIP: IPAddress? = nil, sourceASN: ASNumber? = nil, sourceFQDN: DomainName? = nil, sourcePort: Int? = nil,
        sourceCountry: String? = nil, classification: RSITClassification, identifier: String? = nil,
        timeSource: Date? = nil, feedName: String, feedProvider: String? = nil
    ) {
        self.sourceIP = sourceIP
        self.sourceASN = sourceASN
        self.sourceFQDN = sourceFQDN
        self.sourcePort = sourcePort
        self.sourceCountry = sourceCountry
        self.classification = classification
        self.identifier = identifier
        self.timeSource = timeSource
        self.feedName = feedName
        self.feedProvider = feedProvider
    }

    /// What to route by, most specific first: the address, then the AS, then the name.
    public var routingQueries: [RoutingQuery] {
        var queries: [RoutingQuery] = []
        if let sourceIP { queries.append(.ip(sourceIP)) }
        if let sourceASN { queries.append(.asn(sourceASN)) }
        if let sourceFQDN { queries.append(.domain(sourceFQDN)) }
        return queries
    }
}

/// Why a line of a feed could not be read; the import reports it with its line number and goes on.
public struct FeedLineError: Error, Hashable, Sendable, CustomStringConvertible {
    public let line: Int
    public let reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason)" }
}

/// Turns the fields of one event (as strings, by IntelMQ name) into a `FeedEvent`, or says why not.
public enum FeedEventReader {
    /// Validates and normalises `fields` (line `line` of the feed); `feedName` fills in a missing `feed.name`.
    public static func read(_ fields: [String: String], line: Int, feedName fallbackName: String?)
        -> Result<FeedEvent, FeedLineError>
    {
        func failure(_ reason: String) -> Result<FeedEvent, FeedLineError> {
            .failure(FeedLineError(line: line, reason: reason))
        }
        func value(_ key: String) -> String? {
            guard let text = fields[key]?.trimmingSpaces, !text.isEmpty else { return nil }
            return text
        }
        guard let taxonomy = value("classification.taxonomy"), let type = value("classification.type") else {
            return failure("classification.taxonomy and classification.type are required")
        }
        guard let classification = RSITClassification(taxonomy: taxonomy, type: type) else {
            return failure("'\(taxonomy)/\(type)' is not an RSIT classification")
        }
        guard let feedName = value("feed.name") ?? fallbackName else { return failure("feed.name is required") }
        var event = FeedEvent(classification: classification, feedName: feedName)
        if let text = value("source.ip") {
            guard let address = IPAddress(text) else { return failure("source.ip '\(text)' is not an IP address") }
            event.sourceIP = address
        }
        if let text = value("source.asn") {
            guard let asn = ASNumber(text) else { return failure("source.asn '\(text)' is not an AS number") }
            event.sourceASN = asn
        }
        if let text = value("source.fqdn") {
            guard let name = DomainName(text) else { return failure("source.fqdn '\(text)' is not a domain name") }
            event.sourceFQDN = name
        }
        if let text = value("source.port") {
            guard let port = Int(text), (0...65_535).contains(port) else {
                return failure("source.port '\(text)' is not a port")
            }
            event.sourcePort = port
        }
        if let text = value("time.source") {
            guard let date = ISO8601Parsing.date(text) else {
                return failure("time.source '\(text)' is not an ISO 8601 time")
            }
            event.timeSource = date
        }
        guard event.sourceIP != nil || event.sourceASN != nil || event.sourceFQDN != nil else {
            return failure("nothing to route by: give source.ip, source.asn or source.fqdn")
        }
        event.sourceCountry = value("source.geolocation.cc")?.uppercased()
        event.identifier = value("classification.identifier")
        event.feedProvider = value("feed.provider")
        return .success(event)
    }
}
