/// The sensor chapter's tables: the ten services (protocol and port) seen most, by packets and by
/// distinct sources, each with its rank a year earlier and how it moved. Ties are broken by the
/// service's name, so the same counts always rank the same.
public struct PortRanking: Equatable, Sendable, Codable {
    /// What the sensors saw of one service in a year.
    public struct Count: Equatable, Sendable, Codable {
        /// `tcp/23`.
        public let service: String
        public let packets: Int
        public let sources: Int

        public init(service: String, packets: Int, sources: Int) {
            self.service = service
            self.packets = packets
            self.sources = sources
        }
    }

    /// One line of a table.
    public struct Entry: Equatable, Sendable, Codable {
        public let rank: Int
        public let service: String
        public let value: Int
        /// Its rank by the same measure a year earlier (nil: not seen then).
        public let previousRank: Int?
        /// "new", "same", "up 3", "down 1".
        public let change: String
    }

    public let byPackets: [Entry]
    public let bySources: [Entry]

    /// The top `limit` of `current`, ranked against `previous`.
    public init(current: [Count], previous: [Count], limit: Int = 10) {
        byPackets = Self.table(current, previous, limit: limit, by: \.packets)
        bySources = Self.table(current, previous, limit: limit, by: \.sources)
    }

    private static func table(_ current: [Count], _ previous: [Count], limit: Int, by value: KeyPath<Count, Int>)
        -> [Entry]
    {
        let before = Dictionary(
            ranked(previous, by: value).enumerated().map { ($0.element.service, $0.offset + 1) },
            uniquingKeysWith: { first, _ in first })
        return ranked(current, by: value).prefix(limit).enumerated().map { index, count in
            let rank = index + 1
            let earlier = before[count.service]
            return Entry(
                rank: rank, service: count.service, value: count[keyPath: value], previousRank: earlier,
                change: change(from: earlier, to: rank))
        }
    }

    private static func ranked(_ counts: [Count], by value: KeyPath<Count, Int>) -> [Count] {
        counts.filter { $0[keyPath: value] > 0 }.sorted {
            ($0[keyPath: value], $1.service) > ($1[keyPath: value], $0.service)
        }
    }

    /// How a rank moved: up is towards 1.
    public static func change(from previous: Int?, to current: Int) -> String {
        guard let previous else { return "new" }
        if previous == current { return "same" }
        return previous > current ? "up \(previous - current)" : "down \(current - previous)"
    }
}

/// Which of a report's sections an edition holds: a section goes into an edition whose TLP is at
/// least its own (a TLP:AMBER section never into the TLP:CLEAR public edition); the others are
/// listed as left out, never silently dropped.
public enum EditionContents {
    /// The labels an edition may be made at: the public edition and the members' one.
    public static let editionLabels: [TLPLabel] = [.clear, .amber]

    /// Whether a section marked `section` belongs in an edition marked `edition`.
    public static func includes(_ section: TLPLabel, in edition: TLPLabel) -> Bool { section <= edition }

    /// The incidents an edition's figures count: CLEAR and GREEN for the public edition, up to
    /// AMBER for the members' (never AMBER+STRICT or RED, whoever builds it).
    public static func countedLabels(in edition: TLPLabel) -> Set<TLPLabel> {
        edition == .clear ? [.clear, .green] : [.clear, .green, .amber]
    }
}
