import ConcordCore
import Fluent
import Foundation
import Vapor

/// The demo forum's year of history, so that its annual report is full: incidents of most teams
/// across RSIT's classes and every month of last year and this one up to now (deterministic, from a
/// fixed seed), each routed to one or two teams with the times they took; a few merged as
/// duplicates; last year's reporting year, closed, every member's submission accepted and two of
/// them late; then this year's, opened with its deadline, most teams' submissions accepted, two
/// still outstanding and one whose upload was refused (its total did not add up).
enum DemoHistory {
    /// RSIT taxonomies with their weight in the demo's traffic.
    static let taxonomies: [(String, Int)] = [
        ("information-gathering", 25), ("malicious-code", 20), ("fraud", 20), ("intrusion-attempts", 10),
        ("intrusions", 8), ("availability", 6), ("abusive-content", 5), ("vulnerable", 4),
        ("information-content-security", 2),
    ]

    /// Titles by taxonomy.
    static let titles: [String: [String]] = [
        "information-gathering": [
            "Scanning of the constituency's SSH servers", "Telnet scanning from a hosted server",
        ],
        "malicious-code": ["Bot infections reported by a sinkhole", "Malware hosted on a compromised website"],
        "fraud": ["Phishing site impersonating a bank", "Fake parcel-delivery SMS campaign"],
        "intrusion-attempts": ["Brute force against mail servers", "Exploitation attempts on VPN gateways"],
        "intrusions": ["Compromised web server defaced", "Ransomware at a hospital supplier"],
        "availability": ["DDoS against a news website", "Reflection attack through open resolvers"],
        "abusive-content": ["Spam run from a compromised mailbox"],
        "vulnerable": ["Open resolvers in the constituency", "Unpatched mail servers exposed"],
        "information-content-security": ["Customer data published on a paste site"],
    ]

    /// Teams that report nothing in the demo (a forum always has quiet members).
    static let quiet: Set<String> = ["bdcert", "cert-australia", "moncirt", "techcert"]
    /// The demo year's outstanding submissions: one not started, one draft.
    static let notStarted = "brucert"
    static let draft = "vncert"
    /// The team whose upload is refused.
    static let refusedUpload = "nuscert"

    /// Loads the history; returns what the demo prints about it.
    static func load(app: Application) async throws -> [String] {
        let db = app.db
        let now = app.clock.now()
        let calendar = Self.utcCalendar
        let year = calendar.component(.year, from: now)
        let teams = try await Team.query(on: db).with(\.$category).with(\.$economy).sort(\.$slug).all()
        let users = try await User.query(on: db).filter(\.$role == .handler).all()
        let handler = Dictionary(users.map { ($0.$team.id, $0) }, uniquingKeysWith: { first, _ in first })
        let reporters = teams.filter { !quiet.contains($0.slug) && $0.category.slug != "partner" }
        var rng = SplitMix64(seed: 18_2026)
        var incidents: [Incident] = []
        var assignments: [IncidentAssignment] = []
        var numbers: [Int: Int] = [:]
        for reportYear in [year - 1, year] {
            for month in 1...12 {
                guard let start = calendar.date(from: DateComponents(year: reportYear, month: month, day: 1)),
                    let end = calendar.date(byAdding: .month, value: 1, to: start), start < now
                else { continue }
                for team in reporters {
                    let count = Int(rng.next() % 5) + (month % 3 == 0 ? 1 : 0) + (reportYear == year ? 1 : 0)
                    for _ in 0..<count {
                        let span = min(end, now).timeIntervalSince(start)
                        let reportedAt = start.addingTimeInterval(Double(rng.next() % UInt64(max(span, 1))))
                        guard let reporter = handler[try team.requireID()] else { continue }
                        let taxonomy = Self.pick(taxonomies, &rng)
                        let types = RSITClassification.taxonomies.first { $0.taxonomy == taxonomy }?.types ?? ["other"]
                        let incident = Incident()
                        incident.id = UUID()
                        numbers[reportYear, default: 0] += 1
                        let options = titles[taxonomy] ?? ["Incident"]
                        incident.title = options[Int(rng.next() % UInt64(options.count))]
                        incident.details = "Demonstration data."
                        incident.$reporterTeam.id = try team.requireID()
                        incident.$reporterUser.id = try reporter.requireID()
                        incident.taxonomy = taxonomy
                        incident.type = types[Int(rng.next() % UInt64(types.count))]
                        incident.severity = ["low", "medium", "high"][Int(rng.next() % 3)]
                        let roll = rng.next() % 100
                        incident.tlp = roll < 10 ? .clear : roll < 75 ? .green : .amber
                        incident.reportedAt = reportedAt
                        let age = now.timeIntervalSince(reportedAt)
                        if age > 45 * 86_400 {
                            incident.closedAt = reportedAt.addingTimeInterval(Double(3 + rng.next() % 20) * 86_400)
                        }
                        incidents.append(incident)
                        // One or two teams asked to act, often in another economy.
                        let asked = 1 + Int(rng.next() % 10 < 3 ? 1 : 0)
                        var chosen = Set<UUID>()
                        for _ in 0..<asked {
                            let other = teams[Int(rng.next() % UInt64(teams.count))]
                            let id = try other.requireID()
                            guard id != (try team.requireID()), chosen.insert(id).inserted else { continue }
                            assignments.append(Self.assignment(incident, team: id, age: age, &rng))
                        }
                    }
                }
            }
        }
        // A few merged into the incident before them of the same team.
        var last: [UUID: UUID] = [:]
        var duplicates = 0
        for incident in incidents.sorted(by: { $0.reportedAt < $1.reportedAt }) {
            let team = incident.$reporterTeam.id
            if let earlier = last[team], rng.next() % 100 < 3 {
                incident.duplicateOfID = earlier
                incident.closedAt = incident.closedAt ?? incident.reportedAt.addingTimeInterval(3600)
                duplicates += 1
            } else {
                last[team] = incident.id
            }
        }
        let (counted, stored, asked) = (numbers, incidents, assignments)
        try await db.writeTransaction { db in
            // Numbers from the counters, in the order the incidents were reported.
            for (reportYear, count) in counted {
                let range = try await IncidentNumbers.reserve(count, year: reportYear, on: db)
                let ofYear = stored.filter { calendar.component(.year, from: $0.reportedAt) == reportYear }
                    .sorted { $0.reportedAt < $1.reportedAt }
                for (number, incident) in zip(range, ofYear) {
                    incident.number = IncidentNumbers.format(year: reportYear, number: number)
                }
            }
            for chunk in stride(from: 0, to: stored.count, by: 500) {
                try await stored[chunk..<min(chunk + 500, stored.count)].create(on: db)
            }
            for chunk in stride(from: 0, to: asked.count, by: 500) {
                try await asked[chunk..<min(chunk + 500, asked.count)].create(on: db)
            }
        }
        var notes = [
            "history: \(incidents.count) incidents of \(reporters.count) teams since January \(year - 1) "
                + "(\(duplicates) merged as duplicates)"
        ]
        notes += try await DemoSubmissions.loadClosedYear(year - 1, incidents: incidents, teams: teams, app: app)
        notes += try await DemoSubmissions.load(year: year, incidents: incidents, teams: teams, app: app)
        return notes
    }

    static var utcCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    /// An assignment with the times a team took: most acknowledge within the hour, some take
    /// longer, a few never; older ones are resolved.
    private static func assignment(_ incident: Incident, team: UUID, age: TimeInterval, _ rng: inout SplitMix64)
        -> IncidentAssignment
    {
        let notified = incident.reportedAt.addingTimeInterval(20)
        let row = IncidentAssignment(
            incidentID: incident.id ?? UUID(), teamID: team, reasons: ["constituency (demonstration)"],
            deadline: notified.addingTimeInterval(3600), notifiedAt: notified)
        let roll = rng.next() % 100
        guard roll >= 4 else { return row }  // never acknowledged
        let minutes =
            roll < 55
            ? 1 + Double(rng.next() % 30) : roll < 85 ? 30 + Double(rng.next() % 90) : 120 + Double(rng.next() % 900)
        let acknowledged = notified.addingTimeInterval(minutes * 60)
        guard acknowledged.timeIntervalSince(incident.reportedAt) < age else { return row }
        row.acknowledgedAt = acknowledged
        row.state = .acknowledged
        let hours = 2 + Double(rng.next() % 120)
        let resolved = acknowledged.addingTimeInterval(hours * 3600)
        if resolved.timeIntervalSince(incident.reportedAt) < age {
            row.resolvedAt = resolved
            row.state = .resolved
        } else {
            row.state = .inProgress
        }
        return row
    }

    /// A weighted pick.
    static func pick(_ weighted: [(String, Int)], _ rng: inout SplitMix64) -> String {
        let total = weighted.reduce(0) { $0 + $1.1 }
        var roll = Int(rng.next() % UInt64(total))
        for (value, weight) in weighted {
            if roll < weight { return value }
            roll -= weight
        }
        return weighted[0].0
    }
}
