/// The distinct-source tables of `CaptureSummary` (scans and backscatter by service, economies, all
/// sources), counted in batches. A packet's counts land in tables far larger than the processor's
/// caches (an exact set of 65,536 sources is 1 MiB), so counting them one packet at a time waits
/// for one cache miss after another. A batch first reads every place its counts will change, so
/// that those misses are in flight together, then counts from cache: the same counts, sooner.
///
/// A batch is counted when it is full, when anything reads the tables (`settled`) and before a table
/// is replaced.
struct CaptureTables: Sendable {
    /// One packet not counted yet: its service, whether it is backscatter, its tally's index once
    /// found, its source's hash and its country's index (-1: no country data).
    private struct Pending: Sendable {
        var service: Service
        var backscatter: Bool
        /// The victim, for backscatter.
        var source: IPAddress
        var slot: Int32 = 0
        var country: Int32
        var hash: UInt64
    }

    private(set) var scans = ServiceTallies()
    private(set) var replies = ServiceTallies()
    private(set) var economies = EconomyTallies()
    private(set) var sources = DistinctCounter()
    private(set) var victims = AddressCounts()
    private var pending: [Pending] = []
    /// What the reads of the last batch saw: kept only so that the reads are not optimised away.
    private var peeked: UInt64 = 0

    /// Packets counted together.
    static let batchSize = 64

    init() {}

    /// Counts a scan of `service`.
    @inline(__always)
    mutating func scan(_ service: Service, hash: UInt64, country: Int?) {
        enqueue(
            Pending(
                service: service, backscatter: false, source: IPAddress(v4: 0), country: country.map(Int32.init) ?? -1,
                hash: hash))
    }

    /// Counts backscatter from `service` of the victim `source`.
    @inline(__always)
    mutating func backscatter(_ service: Service, from source: IPAddress, hash: UInt64, country: Int?) {
        enqueue(
            Pending(
                service: service, backscatter: true, source: source, country: country.map(Int32.init) ?? -1, hash: hash)
        )
    }

    @inline(__always)
    private mutating func enqueue(_ entry: Pending) {
        if pending.capacity < Self.batchSize { pending.reserveCapacity(Self.batchSize) }
        pending.append(entry)
        if pending.count == Self.batchSize { flush() }
    }

    /// Counts the batch, in passes that each read what the next needs for every packet first: the
    /// services' entries, their tallies, the places the counts change; then counts.
    mutating func flush() {
        guard !pending.isEmpty else { return }
        var seen: UInt64 = 0
        for entry in pending {
            seen &+=
                entry.backscatter
                ? replies.peek(entry.service) &+ victims.peek(hash: entry.hash) : scans.peek(entry.service)
        }
        for position in pending.indices {
            let entry = pending[position]
            let slot = entry.backscatter ? replies.index(of: entry.service) : scans.index(of: entry.service)
            pending[position].slot = Int32(truncatingIfNeeded: slot)
            seen &+= entry.backscatter ? replies.peek(slot: slot) : scans.peek(slot: slot)
        }
        for entry in pending {
            let slot = Int(entry.slot)
            seen &+= entry.backscatter ? replies.peek(slot: slot, entry.hash) : scans.peek(slot: slot, entry.hash)
            seen &+= sources.peek(hash: entry.hash)
            if entry.country >= 0 { seen &+= economies.peek(countryIndex: Int(entry.country), entry.hash) }
        }
        peeked = seen
        for entry in pending {
            if entry.backscatter {
                replies.add(slot: Int(entry.slot), entry.hash)
                victims.add(entry.source, hash: entry.hash)
            } else {
                scans.add(slot: Int(entry.slot), entry.hash)
            }
            sources.insert(hash: entry.hash)
            if entry.country >= 0 { economies.add(countryIndex: Int(entry.country), entry.hash) }
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// The tables with every packet counted.
    var settled: CaptureTables {
        guard !pending.isEmpty else { return self }
        var copy = self
        copy.flush()
        return copy
    }

    mutating func setScans(_ tallies: [Service: TrafficTally]) {
        flush()
        scans = ServiceTallies(tallies)
    }

    mutating func setReplies(_ tallies: [Service: TrafficTally]) {
        flush()
        replies = ServiceTallies(tallies)
    }

    mutating func setEconomies(_ tallies: [String: TrafficTally]) {
        flush()
        economies = EconomyTallies(tallies)
    }

    mutating func setVictims(_ counts: [IPAddress: Int]) {
        flush()
        victims = AddressCounts(counts)
    }

    mutating func setSources(_ counter: DistinctCounter) {
        flush()
        sources = counter
    }

    /// Adds the other tables' counts into these.
    mutating func formUnion(_ other: CaptureTables) {
        flush()
        let theirs = other.settled
        scans.formUnion(theirs.scans)
        replies.formUnion(theirs.replies)
        economies = EconomyTallies(economies.dictionary.merging(theirs.economies.dictionary) { $0.merged(with: $1) })
        sources.formUnion(theirs.sources)
        victims.formUnion(theirs.victims)
    }
}

extension CaptureTables: Equatable {
    /// The same counts, whatever is still pending on either side.
    static func == (left: CaptureTables, right: CaptureTables) -> Bool {
        let (mine, theirs) = (left.settled, right.settled)
        return mine.scans == theirs.scans && mine.replies == theirs.replies && mine.economies == theirs.economies
            && mine.sources == theirs.sources && mine.victims == theirs.victims
    }
}
