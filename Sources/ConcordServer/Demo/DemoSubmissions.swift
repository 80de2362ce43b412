import ConcordCore
import Fluent
import Foundation
import Vapor

/// The demo year's reporting: this year opened by the secretariat with its deadline at the end of
/// next January; most member teams' submissions accepted (their declared counts larger than what
/// passed through Concord, as a national team's are; JPCERT/CC counting by its own categories,
/// mapped to RSIT; one team declaring fewer than Concord recorded), two outstanding, and one team's
/// upload refused because its total did not add up (its draft kept, as the service keeps it).
enum DemoSubmissions {
    /// JPCERT/CC's own categories, as its quarterly reports name them.
    static let ownCategories: [(String, String)] = [
        ("Phishing site", "fraud"), ("Website defacement", "intrusions"), ("Malware site", "malicious-code"),
        ("Scan", "information-gathering"), ("DoS/DDoS", "availability"), ("Control system related", "other"),
        ("Other", "other"),
    ]

    static func load(year: Int, incidents: [Incident], teams: [Team], app: Application) async throws -> [String] {
        let db = app.db
        let now = app.clock.now()
        let calendar = DemoHistory.utcCalendar
        guard let period = ReportingPeriod(year: year),
            let january = calendar.date(from: DateComponents(year: year + 1, month: 1, day: 31, hour: 23, minute: 59))
        else { return [] }
        let reportingYear = opened(
            year, deadline: january, at: now,
            chairMessage:
                "This year the forum's teams handled more incidents together than ever, answered the communication checks faster, and rehearsed in the annual drill.\n\nThe figures in this report are the forum's own: counted by Concord from the records the teams share, and declared by each team for its constituency."
        )
        var rng = SplitMix64(seed: 18_2027)
        var notes: [String] = []
        var submissions: [ReportSubmission] = []
        var mappings: [TeamCategoryMapping] = []
        let members = teams.filter { $0.category.slug != ReportingMembers.partnerCategory && $0.status == .active }
        for team in members {
            let id = try team.requireID()
            let submission = try Submissions.blank(for: team, in: reportingYear)
            submissions.append(submission)
            if team.slug == DemoHistory.notStarted { continue }
            var table = declaredTable(of: team, incidents: incidents, period: period, &rng)
            if team.slug == DemoForum.secretariatSlug {
                for (own, taxonomy) in ownCategories {
                    let row = TeamCategoryMapping()
                    row.teamID = id
                    row.category = own
                    row.taxonomy = taxonomy
                    mappings.append(row)
                }
                table = inOwnCategories(table)
            }
            submission.startMonth = team.slug == "krcert-cc" ? 4 : 1
            try fill(submission, of: team, table: table, at: now, &rng)
            switch team.slug {
            case DemoHistory.draft:
                submission.state = SubmissionState.draft.rawValue
            case DemoHistory.refusedUpload:
                submission.state = SubmissionState.draft.rawValue
                let rows = CountTableFormat.rows(of: table, period: period)
                var wrong = rows
                if wrong.count > 2 { wrong[1][13] = String((Int(wrong[1][13]) ?? 0) + 5) }
                do {
                    _ = try SubmissionTables.fromCSV(
                        SubmissionTables.csv(wrong), period: period, allowed: Set(CategoryMapping.reportingCategories))
                } catch let error as ConcordError {
                    notes.append(
                        "\(team.shortName)'s upload was refused, its draft kept: "
                            + error.fields.map { "\($0.field): \($0.detail)" }.joined(separator: "; "))
                }
            default:
                submission.state = SubmissionState.accepted.rawValue
                submission.submittedAt = now.addingTimeInterval(-Double(1 + rng.next() % 20) * 86_400)
                submission.decidedAt = now.addingTimeInterval(-3600)
                submission.decidedBy = "secretariat (demonstration)"
            }
        }
        let (rows, mapped) = (submissions, mappings)
        try await db.writeTransaction { db in
            try await reportingYear.create(on: db)
            try await rows.create(on: db)
            if !mapped.isEmpty { try await mapped.create(on: db) }
        }
        let accepted = submissions.filter { $0.state == SubmissionState.accepted.rawValue }.count
        notes.append(
            "annual report \(year): \(accepted) of \(submissions.count) submissions accepted, due "
                + "\(ISODate.string(january)); /reports/\(year)")
        return notes
    }

    /// Last year's reporting year, closed: every member's submission accepted, BruCERT's and
    /// VNCERT's handed in after the deadline (the board marks them late; this year they are the
    /// two outstanding).
    static func loadClosedYear(_ year: Int, incidents: [Incident], teams: [Team], app: Application) async throws
        -> [String]
    {
        let calendar = DemoHistory.utcCalendar
        guard let period = ReportingPeriod(year: year),
            let deadline = calendar.date(from: DateComponents(year: year + 1, month: 1, day: 31, hour: 23, minute: 59)),
            let opened = calendar.date(from: DateComponents(year: year, month: 11, day: 2))
        else { return [] }
        let reportingYear = Self.opened(
            year, deadline: deadline, at: opened,
            chairMessage:
                "A year in which the forum's teams coordinated across more borders than before and every member reported."
        )
        var rng = SplitMix64(seed: UInt64(year) * 1_000 + 18)
        var submissions: [ReportSubmission] = []
        for team in teams where team.category.slug != ReportingMembers.partnerCategory && team.status == .active {
            let submission = try Submissions.blank(for: team, in: reportingYear)
            var table = declaredTable(of: team, incidents: incidents, period: period, &rng)
            if team.slug == DemoForum.secretariatSlug { table = inOwnCategories(table) }
            let days = Self.lateLastYear[team.slug] ?? -Double(1 + rng.next() % 30)
            let handedIn = deadline.addingTimeInterval(days * 86_400)
            try fill(submission, of: team, table: table, at: handedIn, &rng)
            submission.state = SubmissionState.accepted.rawValue
            submission.submittedAt = handedIn
            submission.decidedAt = handedIn.addingTimeInterval(2 * 86_400)
            submission.decidedBy = "secretariat (demonstration)"
            submissions.append(submission)
        }
        let rows = submissions
        try await app.db.writeTransaction { db in
            try await reportingYear.create(on: db)
            try await rows.create(on: db)
        }
        let late = teams.filter { Self.lateLastYear[$0.slug] != nil }.map(\.shortName).sorted()
        return [
            "annual report \(year): all \(rows.count) submissions accepted, "
                + "\(late.joined(separator: " and ")) after the deadline; /reports/\(year)"
        ]
    }

    /// A calendar reporting year opened by the secretariat at `at`.
    static func opened(_ year: Int, deadline: Date, at: Date, chairMessage: String) -> ReportingYear {
        let reportingYear = ReportingYear()
        reportingYear.id = UUID()
        reportingYear.year = year
        reportingYear.startMonth = 1
        reportingYear.deadline = deadline
        reportingYear.openedAt = at
        reportingYear.openedBy = "secretariat (demonstration)"
        reportingYear.chairMessage = chairMessage
        reportingYear.editions = 0
        return reportingYear
    }

    /// The teams that handed last year's submission in late, and how many days after its deadline.
    static let lateLastYear: [String: Double] = [DemoHistory.notStarted: 9, DemoHistory.draft: 23]

    /// A submission's figures and texts, as a member fills them in, last changed at `at`.
    static func fill(
        _ submission: ReportSubmission, of team: Team, table: CountTable, at: Date, _ rng: inout SplitMix64
    ) throws {
        submission.counts = try Submissions.json(table)
        submission.alerts = Int(rng.next() % 200)
        submission.advisories = Int(rng.next() % 40)
        submission.trainings = Int(rng.next() % 12)
        submission.events = Int(rng.next() % 8)
        submission.about =
            "\(team.fullName) is the \(team.economy.name) team in the forum's \(team.category.name.lowercased()) category."
        submission.activities =
            "Incident coordination for its constituency, alerts and advisories, awareness campaigns."
        submission.futurePlans = "Closer cooperation with the forum's teams and more drills."
        submission.version = 2
        submission.updatedAt = at
        submission.updatedBy = "handler@\(team.slug).example"
    }

    /// A member's declared table for `period`: what passed through Concord for the team, and more
    /// handled at home (TWCERT/CC declaring fewer than Concord recorded).
    static func declaredTable(of team: Team, incidents: [Incident], period: ReportingPeriod, _ rng: inout SplitMix64)
        -> CountTable
    {
        let id = team.id
        var counts: [String: [Int]] = [:]
        for incident in incidents where incident.$reporterTeam.id == id && incident.duplicateOfID == nil {
            guard let month = period.monthIndex(of: incident.reportedAt) else { continue }
            counts[incident.taxonomy, default: Array(repeating: 0, count: 12)][month] += 1
        }
        let factor = team.slug == "twcert-cc" ? 0 : 2 + Int(rng.next() % 4)
        for taxonomy in counts.keys.sorted() {
            counts[taxonomy] = counts[taxonomy]?.map { $0 * factor + (factor > 0 ? Int(rng.next() % 3) : 0) }
        }
        if team.slug == "twcert-cc" { counts = counts.mapValues { $0.map { max(0, $0 / 2) } } }
        return CountTable(categories: counts.keys.sorted(), counts: counts.keys.sorted().map { counts[$0] ?? [] })
    }

    /// JPCERT/CC's table in its own categories (mapped to RSIT once).
    static func inOwnCategories(_ table: CountTable) -> CountTable {
        let byTaxonomy = Dictionary(uniqueKeysWithValues: zip(table.categories, table.counts))
        let zeros = Array(repeating: 0, count: 12)
        let own = ownCategories.map { name, taxonomy -> [Int] in
            switch name {
            case "Other": return Array(repeating: 1, count: 12)
            case "Control system related": return zeros
            default: return byTaxonomy[taxonomy] ?? zeros
            }
        }
        return CountTable(categories: ownCategories.map(\.0), counts: own)
    }
}
