import ConcordCore
import Crypto
import Vapor

/// An edition of the annual report as documents: the printable HTML (one file, its charts inline,
/// the TLP in every section's heading and every printed page's footer), and `tables.csv`, every
/// figure of the annex in one long table (section, table, row, column, value).
enum ReportDocument {
    /// Who made an edition and when, printed on its cover (never in `data.json`).
    struct Provenance: Sendable {
        let edition: Int?
        let madeBy: String
        let madeAt: Date
        let inputsSHA256: String
    }

    struct Page: Encodable {
        struct Line: Encodable {
            let label: String
            let value: String
            let note: String
        }

        struct Measured: Encodable {
            let counters: [Line]
            let times: [Line]
            let checks: [Line]
            let drills: [Line]
            let directory: [Line]
            let charts: [ReportChart]
            let definitions: [Line]
        }

        struct TeamPart: Encodable {
            let team: String
            let name: String
            let economy: String
            let category: String
            let submitted: Bool
            let period: String
            let paragraphs: [Line]
            let figures: [Line]
            let total: String
            let change: String
            let otherWarning: String
            let charts: [ReportChart]
        }

        let data: AnnualReportData
        /// The page's style sheet, inline (the file stands alone); its SHA-256 goes in the CSP.
        let style: String
        let tlpClass: String
        let title: String
        let cutoff: String
        let edition: String
        let madeBy: String
        let madeAt: String
        let inputsSHA256: String
        let leftOut: [AnnualReportData.Section]
        let chair: [String]
        let measured: Measured?
        let teamTimes: [[String]]
        let ports: [[String]]
        let sources: [[String]]
        let uptime: [[String]]
        let sensorPackets: String
        let teams: [TeamPart]
        let comparisons: [[String]]
    }

    /// The HTML of `data`, rendered by the `annual-report` template.
    static func html(_ data: AnnualReportData, provenance: Provenance, app: Application) async throws -> String {
        let view = try await app.view.render("annual-report", page(data, provenance: provenance)).get()
        return String(buffer: view.data)
    }

    static func page(_ data: AnnualReportData, provenance: Provenance) -> Page {
        let meta = data.meta
        let year = String(meta.year)
        let lastYear = String(meta.year - 1)
        var measured: Page.Measured?
        if let figures = data.measured {
            let names = [
                ("reports", "Reports received"), ("incidents", "Incidents (duplicates merged)"),
                ("casesCoordinated", "Cases coordinated"), ("crossBorder", "Cross-border incidents"),
            ]
            let counters = names.compactMap { name, label -> Page.Line? in
                guard let trend = figures.trends[name] else { return nil }
                return .init(
                    label: label, value: Figures.grouped(trend.current),
                    note: "\(Figures.grouped(trend.previous)) in \(lastYear) (\(trend.change))")
            }
            func durations(_ label: String, _ d: StatisticsDTO.Durations) -> Page.Line {
                .init(
                    label: label, value: d.median.map { "median \($0)" } ?? "no case",
                    note: d.cases == 0
                        ? ""
                        : "p90 \(d.p90 ?? "–"); within 15 / 30 / 60 minutes: "
                            + "\(d.shareWithin15Minutes ?? "–") / \(d.shareWithin30Minutes ?? "–") / "
                            + "\(d.shareWithin60Minutes ?? "–") of \(Figures.grouped(d.cases)) cases, "
                            + "\(Figures.grouped(d.open)) open")
            }
            let checks = figures.communicationChecks
            let drills = figures.drills
            let health = figures.directoryHealth
            measured = Page.Measured(
                counters: counters,
                times: [
                    durations("Time to acknowledge", figures.timeToAcknowledge),
                    durations("Time to resolve", figures.timeToResolve),
                    .init(label: "Escalations", value: Figures.grouped(figures.escalations), note: ""),
                ],
                checks: [
                    .init(
                        label: "Communication checks", value: Figures.grouped(checks.checks),
                        note: "\(checks.reachableTeams) of \(checks.teams) teams answered within a check's window"),
                    durations("Time to answer", checks.answers),
                ],
                drills: [
                    .init(
                        label: "Drills", value: Figures.grouped(drills.drills),
                        note: "\(drills.participatingTeams) of \(drills.invitedTeams) member teams took part, "
                            + "of \(drills.economies) economies; \(drills.partnerTeams) partner teams apart"),
                    .init(
                        label: "Injects acknowledged in time", value: drills.acknowledgedInTimeShare ?? "–",
                        note: "\(drills.acknowledgedInTime) of \(drills.deliveriesWithDeadline) with a deadline"),
                ],
                directory: [
                    .init(
                        label: "Teams with a valid OpenPGP key", value: health.withValidKeyShare ?? "–",
                        note: "\(health.withValidKey) of \(health.teams)"),
                    .init(
                        label: "RFC 2350 profile updated in the last 12 months",
                        value: health.withRecentProfileShare ?? "–",
                        note: "\(health.withRecentProfile) of \(health.teams)"),
                ],
                charts: [
                    ReportChart.byTaxonomy(
                        id: "forum-taxonomy", title: "Incidents by RSIT taxonomy, \(meta.period)",
                        rows: figures.byTaxonomy),
                    ReportChart.byMonth(
                        id: "forum-months", title: "Incidents per month, \(year) and \(lastYear)",
                        months: figures.period.months, current: figures.monthTotals, currentName: year,
                        previous: figures.previousMonthTotals, previousName: lastYear),
                ],
                definitions: figures.definitions.sorted { $0.key < $1.key }.map {
                    .init(label: $0.key, value: $0.value, note: "")
                })
        }
        let teams = (data.teams ?? []).map { section -> Page.TeamPart in
            var charts: [ReportChart] = []
            if section.total > 0 {
                charts.append(
                    ReportChart.byTaxonomy(
                        id: "team-\(section.team)-taxonomy", title: "\(section.name): incidents by RSIT taxonomy",
                        rows: section.byTaxonomy))
                charts.append(
                    ReportChart.byMonth(
                        id: "team-\(section.team)-months", title: "\(section.name): incidents per month",
                        months: section.months, current: section.monthTotals, currentName: year,
                        previous: section.previousMonthTotals, previousName: lastYear))
            }
            let numbers: [(String, Int?)] = [
                ("Alerts published", section.alerts), ("Advisories published", section.advisories),
                ("Trainings given", section.trainings), ("Events", section.events),
            ]
            return Page.TeamPart(
                team: section.team, name: section.name, economy: section.economy, category: section.category,
                submitted: section.submitted, period: section.period,
                paragraphs: [
                    ("About the team", section.about), ("Activities", section.activities),
                    ("Future plans", section.futurePlans),
                ].filter { !$0.1.isEmpty }.map { .init(label: $0.0, value: $0.1, note: "") },
                figures: numbers.compactMap { label, value in
                    value.map { Page.Line(label: label, value: Figures.grouped($0), note: "") }
                },
                total: Figures.grouped(section.total),
                change: section.previousTotal.map {
                    "\(Figures.grouped($0)) in \(lastYear) → \(Figures.grouped(section.total)) (\(section.change ?? ""))"
                } ?? "",
                otherWarning: section.otherWarning
                    ? "\(section.otherShare ?? "") of these incidents count as RSIT other: more than a tenth." : "",
                charts: charts)
        }
        return Page(
            data: data, style: style(tlp: meta.tlp, title: "\(meta.forum) · Annual Report \(meta.period)"),
            tlpClass: meta.tlp.replacingOccurrences(of: "TLP:", with: "").lowercased()
                .replacingOccurrences(of: "+strict", with: "-strict"),
            title: "\(meta.forum): Annual Report \(meta.period)", cutoff: NotificationText.utc(meta.cutoff),
            edition: provenance.edition.map { "Edition \($0)" } ?? "Preview (not an edition)",
            madeBy: provenance.madeBy, madeAt: NotificationText.utc(provenance.madeAt),
            inputsSHA256: provenance.inputsSHA256, leftOut: data.contents.filter { !$0.included },
            chair: data.chair?.paragraphs ?? [], measured: measured,
            teamTimes: (data.teamTimes ?? []).map { times in
                [
                    times.name, times.timeToAcknowledge.median ?? "–", times.timeToAcknowledge.p90 ?? "–",
                    times.timeToAcknowledge.shareWithin60Minutes ?? "–", times.timeToResolve.median ?? "–",
                    "\(times.checks.reachableTeams > 0 ? "answered" : times.checks.teams > 0 ? "not answered" : "–")",
                ]
            },
            ports: (data.sensors?.ports.byPackets ?? []).map {
                [
                    String($0.rank), $0.service, Figures.grouped($0.value), $0.previousRank.map(String.init) ?? "–",
                    $0.change,
                ]
            },
            sources: (data.sensors?.ports.bySources ?? []).map {
                [
                    String($0.rank), $0.service, Figures.grouped($0.value), $0.previousRank.map(String.init) ?? "–",
                    $0.change,
                ]
            },
            uptime: (data.sensors?.uptime ?? []).map {
                [$0.team, $0.sensor, $0.uptime, "\($0.delivered) of \($0.expected) hours"]
            },
            sensorPackets: data.sensors.map {
                "\(Figures.grouped($0.packets)) packets (\(Figures.grouped($0.previousPackets)) in \(lastYear))"
            } ?? "",
            teams: teams,
            comparisons: (data.comparisons ?? []).map {
                [
                    $0.name, Figures.grouped($0.declared), Figures.grouped($0.measured), String($0.difference),
                    $0.flag == "measured-more" ? "Concord recorded more" : $0.flag == "same" ? "same" : "declared more",
                ]
            })
    }

    /// The style sheet: A4 pages with the edition's TLP and the page number in every page's footer.
    static func style(tlp: String, title: String) -> String {
        let quoted = { (text: String) in
            "\""
                + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "<", with: "\\3c ") + "\""
        }
        return """
            @page { size: A4; margin: 18mm 16mm 20mm 16mm;
              @bottom-left { content: \(quoted(tlp)); font: bold 9pt sans-serif; }
              @bottom-center { content: \(quoted(title)); font: 8pt sans-serif; color: #555; }
              @bottom-right { content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; } }
            body { font: 10.5pt/1.45 "Noto Sans", "Noto Sans CJK JP", "Noto Sans CJK SC", "DejaVu Sans", sans-serif;
              color: #1d1d1d; max-width: 190mm; margin: 0 auto; padding: 0 4mm; }
            h1 { font-size: 22pt; margin: 30mm 0 8mm; } h1 span { font-weight: normal; }
            h2 { font-size: 15pt; border-bottom: 2px solid #0072B2; padding-bottom: 2px; margin-top: 10mm; }
            h3 { font-size: 12pt; margin-top: 6mm; } h4 { font-size: 10.5pt; margin: 4mm 0 1mm; }
            .section { break-before: page; } .team { break-inside: avoid-page; margin-bottom: 8mm; }
            .tlp { display: inline-block; font-weight: bold; padding: 2px 8px; background: #000; }
            .tlp.tlp-clear { color: #fff; } .tlp.tlp-green { color: #33ff00; }
            .tlp.tlp-amber, .tlp.tlp-amber-strict { color: #ffc000; } .tlp.tlp-red { color: #ff2b2b; }
            .tlp-tag { font-size: 8pt; font-weight: bold; background: #000; color: #fff; padding: 1px 5px;
              vertical-align: middle; }
            .provenance { display: grid; grid-template-columns: 45mm 1fr; gap: 1mm 4mm; font-size: 9pt; }
            .provenance dt { font-weight: bold; } .provenance dd { margin: 0; word-break: break-all; }
            .left-out { color: #8a1c00; } .muted { color: #666; } .warning { color: #8a1c00; }
            table { border-collapse: collapse; width: 100%; margin: 3mm 0; font-size: 9pt; }
            th, td { border-bottom: 1px solid #ddd; padding: 2px 4px; text-align: left; vertical-align: top; }
            .number { text-align: right; } .figures th { width: 62mm; }
            figure.chart { break-inside: avoid-page; margin: 4mm 0; } figure.chart svg { max-width: 100%; height: auto; }
            figcaption { font-size: 9pt; color: #444; } table.data { font-size: 8pt; }
            .definitions dt { font-weight: bold; margin-top: 2mm; } .definitions dd { margin-left: 0; }
            .prose { white-space: pre-line; }
            .screen-footer { margin: 10mm 0; font-size: 9pt; color: #555; border-top: 1px solid #ddd; }
            @media print { .screen-footer { display: none; } }
            """
    }

    /// The SHA-256 (base64) of a page's style sheet, for the `style-src` of the CSP it is served with.
    static func styleHash(_ style: String) -> String {
        Data(SHA256.hash(data: Data(style.utf8))).base64EncodedString()
    }

    /// Every figure of `data` as `section,table,row,column,value` lines (RFC 4180, CRLF).
    static func csv(_ data: AnnualReportData) -> String {
        var lines: [[String]] = [["section", "table", "row", "column", "value"]]
        func add(_ section: String, _ table: String, _ row: String, _ column: String, _ value: String) {
            lines.append([section, table, row, column, value])
        }
        if let figures = data.measured {
            for (name, trend) in figures.trends.sorted(by: { $0.key < $1.key }) {
                add("measured", "counters", name, "current", String(trend.current))
                add("measured", "counters", name, "previous", String(trend.previous))
                add("measured", "counters", name, "change", trend.change)
            }
            for row in figures.byTaxonomy {
                for (month, value) in zip(figures.period.months, row.months) {
                    add("measured", "byTaxonomy", row.taxonomy, month, String(value))
                }
                add("measured", "byTaxonomy", row.taxonomy, "total", String(row.total))
            }
            for (month, value) in zip(figures.period.months, figures.monthTotals) {
                add("measured", "monthTotals", "total", month, String(value))
            }
            for (name, d) in [
                ("timeToAcknowledge", figures.timeToAcknowledge), ("timeToResolve", figures.timeToResolve),
            ] {
                add("measured", name, "all", "cases", String(d.cases))
                add("measured", name, "all", "medianSeconds", d.medianSeconds.map(String.init) ?? "")
                add("measured", name, "all", "p90Seconds", d.p90Seconds.map(String.init) ?? "")
                add("measured", name, "all", "within60Minutes", String(d.within60Minutes))
            }
            add("measured", "escalations", "all", "count", String(figures.escalations))
            add("measured", "communicationChecks", "all", "checks", String(figures.communicationChecks.checks))
            add("measured", "communicationChecks", "all", "teams", String(figures.communicationChecks.teams))
            add(
                "measured", "communicationChecks", "all", "reachableTeams",
                String(figures.communicationChecks.reachableTeams))
            add("measured", "drills", "all", "drills", String(figures.drills.drills))
            add("measured", "drills", "all", "participatingTeams", String(figures.drills.participatingTeams))
            add("measured", "drills", "all", "economies", String(figures.drills.economies))
            add("measured", "drills", "all", "partnerTeams", String(figures.drills.partnerTeams))
            add("measured", "directoryHealth", "all", "withValidKey", String(figures.directoryHealth.withValidKey))
            add(
                "measured", "directoryHealth", "all", "withRecentProfile",
                String(figures.directoryHealth.withRecentProfile))
            add("measured", "directoryHealth", "all", "teams", String(figures.directoryHealth.teams))
        }
        for times in data.teamTimes ?? [] {
            add(
                "team-times", "timeToAcknowledge", times.team, "medianSeconds",
                times.timeToAcknowledge.medianSeconds.map(String.init) ?? "")
            add("team-times", "timeToAcknowledge", times.team, "cases", String(times.timeToAcknowledge.cases))
            add("team-times", "checks", times.team, "challenges", String(times.checks.challenges))
        }
        if let sensors = data.sensors {
            for (table, entries) in [("byPackets", sensors.ports.byPackets), ("bySources", sensors.ports.bySources)] {
                for entry in entries {
                    add("sensors", table, entry.service, "rank", String(entry.rank))
                    add("sensors", table, entry.service, "value", String(entry.value))
                    add("sensors", table, entry.service, "previousRank", entry.previousRank.map(String.init) ?? "")
                }
            }
            for item in sensors.uptime {
                add("sensors", "uptime", "\(item.team)/\(item.sensor)", "delivered", String(item.delivered))
                add("sensors", "uptime", "\(item.team)/\(item.sensor)", "expected", String(item.expected))
            }
        }
        for team in data.teams ?? [] {
            for row in team.byTaxonomy {
                for (month, value) in zip(team.months, row.months) {
                    add("teams", team.team, row.taxonomy, month, String(value))
                }
                add("teams", team.team, row.taxonomy, "total", String(row.total))
            }
            add("teams", team.team, "total", "total", String(team.total))
            for (name, value) in [
                ("alerts", team.alerts), ("advisories", team.advisories), ("trainings", team.trainings),
                ("events", team.events),
            ] {
                if let value { add("teams", team.team, name, "count", String(value)) }
            }
        }
        for comparison in data.comparisons ?? [] {
            add("comparisons", "declaredAndMeasured", comparison.team, "declared", String(comparison.declared))
            add("comparisons", "declaredAndMeasured", comparison.team, "measured", String(comparison.measured))
        }
        return SubmissionTables.csv(lines)
    }
}
