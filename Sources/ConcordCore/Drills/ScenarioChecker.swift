import Foundation
import Yams

/// Walks the YAML tree of a scenario, collecting problems as it goes (see `ScenarioReader`).
final class ScenarioChecker {
    private(set) var problems: [ScenarioProblem] = []
    private let attachmentExists: (String) -> Bool

    init(attachmentExists: @escaping (String) -> Bool) {
        self.attachmentExists = attachmentExists
    }

    func scenario(_ root: Node) -> DrillScenario? {
        guard
            let fields = mapping(
                root, "",
                allowed: ["concord-scenario", "title", "storyline", "start", "duration", "participants", "injects"])
        else { return nil }
        if let version = fields.required("concord-scenario", self) {
            if version.int != ScenarioReader.formatVersion {
                report(
                    version, "concord-scenario",
                    "must be \(ScenarioReader.formatVersion), the format this Concord reads")
            }
        }
        let title = fields.required("title", self).flatMap { text($0, "title", maxLength: 200) }
        let storyline = fields["storyline"].flatMap { text($0, "storyline", maxLength: 20_000) } ?? ""
        var start: Date?
        if let node = fields["start"], let value = text(node, "start", maxLength: 40) {
            start = ISO8601Parsing.date(value)
            if start == nil { report(node, "start", "must be a date and time with its zone, as 2026-12-03T02:00:00Z") }
        }
        let duration = fields.required("duration", self).flatMap { self.duration($0, "duration") }
        if let duration, let node = fields["duration"], duration == 0 || duration > ScenarioReader.longestDrill {
            report(
                node, "duration", "must be more than 0 and at most \(DrillDuration.text(ScenarioReader.longestDrill))")
        }
        let participants = fields.required("participants", self).flatMap { self.participants($0) }
        let injects = fields.required("injects", self).flatMap {
            injectList($0, duration: duration, participants: participants)
        }
        guard let title, let duration, let participants, let injects else { return nil }
        return DrillScenario(
            title: title, storyline: storyline, start: start, durationSeconds: duration, participants: participants,
            injects: injects)
    }

    private func participants(_ node: Node) -> DrillScenario.Participants? {
        if node.scalar != nil {
            guard node.string == "all-full-members" else {
                report(node, "participants", "must be all-full-members or a list of team slugs")
                return nil
            }
            return .allFullMembers
        }
        guard let slugs = slugList(node, "participants") else { return nil }
        return .teams(slugs)
    }

    private func injectList(_ node: Node, duration: Int?, participants: DrillScenario.Participants?)
        -> [DrillInject]?
    {
        guard let items = node.sequence, !items.isEmpty else {
            report(node, "injects", "must be a list of at least one inject")
            return nil
        }
        var seen: [String: Int] = [:]
        var injects: [DrillInject] = []
        var complete = true
        for (index, item) in items.enumerated() {
            let path = "injects[\(index)]"
            if let idNode = item.mapping?.first(where: { $0.key.string == "id" })?.value, let id = idNode.scalar?.string
            {
                if let earlier = seen[id] {
                    report(idNode, path + ".id", "\"\(id)\" is already the id of injects[\(earlier)]")
                } else {
                    seen[id] = index
                }
            }
            guard let inject = self.inject(item, path, duration: duration, participants: participants) else {
                complete = false
                continue
            }
            injects.append(inject)
        }
        guard complete else { return nil }
        return injects.enumerated().sorted {
            ($0.element.offsetSeconds, $0.offset) < ($1.element.offsetSeconds, $1.offset)
        }
        .map { $0.element }
    }

    private func inject(_ node: Node, _ path: String, duration: Int?, participants: DrillScenario.Participants?)
        -> DrillInject?
    {
        guard
            let fields = mapping(
                node, path, allowed: ["id", "at", "to", "channel", "subject", "body", "attachments", "expect"])
        else { return nil }
        let id = fields.required("id", self, path).flatMap { slug($0, path + ".id") }
        let offset = fields.required("at", self, path).flatMap { self.duration($0, path + ".at") }
        if let offset, let duration, offset > duration, let node = fields["at"] {
            report(node, path + ".at", "is after the drill's end (\(DrillDuration.text(duration)))")
        }
        let recipients = fields.required("to", self, path).flatMap {
            self.recipients($0, path + ".to", participants: participants)
        }
        var channel: DrillInject.Channel?
        if let node = fields.required("channel", self, path) {
            channel = node.string.flatMap(DrillInject.Channel.init(rawValue:))
            if channel == nil {
                report(
                    node, path + ".channel",
                    "must be one of \(DrillInject.Channel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let subject = fields.required("subject", self, path).flatMap {
            templated($0, path + ".subject", maxLength: 300)
        }
        let body = fields.required("body", self, path).flatMap { templated($0, path + ".body", maxLength: 100_000) }
        var attachments: [String] = []
        if let node = fields["attachments"] {
            attachments = self.attachments(node, path + ".attachments") ?? []
        }
        var expectation: DrillExpectation?
        var expectationValid = true
        if let node = fields["expect"] {
            expectation = self.expectation(node, path + ".expect", participants: participants)
            expectationValid = expectation != nil
            if let expectation, let offset, let duration, offset + expectation.withinSeconds > duration {
                report(
                    node, path + ".expect.within",
                    "the deadline falls after the drill's end (\(DrillDuration.text(duration)))")
            }
        }
        guard let id, let offset, let recipients, let channel, let subject, let body, expectationValid else {
            return nil
        }
        return DrillInject(
            id: id, offsetSeconds: offset, recipients: recipients, channel: channel, subject: subject, body: body,
            attachments: attachments, expectation: expectation)
    }

    private func recipients(_ node: Node, _ path: String, participants: DrillScenario.Participants?)
        -> DrillInject.Recipients?
    {
        if node.scalar != nil {
            guard node.string == "all" else {
                report(node, path, "must be all or a list of team slugs")
                return nil
            }
            return .allPlayers
        }
        guard let slugs = slugList(node, path) else { return nil }
        checkParticipating(slugs, node, path, participants)
        return .teams(slugs)
    }

    private func expectation(_ node: Node, _ path: String, participants: DrillScenario.Participants?)
        -> DrillExpectation?
    {
        guard
            let fields = mapping(
                node, path, allowed: ["action", "within", "observables", "team", "question", "accept"])
        else { return nil }
        let within = fields.required("within", self, path).flatMap { duration($0, path + ".within") }
        if let within, within == 0, let node = fields["within"] {
            report(node, path + ".within", "must be more than 0")
        }
        guard let actionNode = fields.required("action", self, path) else { return nil }
        let allowedFor: [String: Set<String>] = [
            "acknowledge": [], "report-incident": ["observables"], "notify-team": ["team"],
            "answer": ["question", "accept"],
        ]
        guard let name = actionNode.string, let extra = allowedFor[name] else {
            report(actionNode, path + ".action", "must be one of acknowledge, report-incident, notify-team, answer")
            return nil
        }
        for (key, value) in fields.pairs where !["action", "within"].contains(key) && !extra.contains(key) {
            report(value, path + "." + key, "does not belong to the action \(name)")
        }
        var action: DrillExpectation.Action?
        switch name {
        case "acknowledge":
            action = .acknowledge
        case "report-incident":
            action = fields.required("observables", self, path).flatMap { observables($0, path + ".observables") }
                .map { .reportIncident(observables: $0) }
        case "notify-team":
            if let node = fields.required("team", self, path), let team = slug(node, path + ".team") {
                checkParticipating([team], node, path + ".team", participants)
                action = .notifyTeam(team)
            }
        default:
            let question = fields.required("question", self, path).flatMap {
                text($0, path + ".question", maxLength: 2_000)
            }
            let accepted = fields["accept"].flatMap { strings($0, path + ".accept") } ?? []
            action = question.map { .answer(question: $0, accepted: accepted) }
        }
        guard let action, let within, within > 0 else { return nil }
        return DrillExpectation(action: action, withinSeconds: within)
    }

    // MARK: Field kinds

    private func observables(_ node: Node, _ path: String) -> [String]? {
        guard let values = strings(node, path), !values.isEmpty else {
            if node.sequence?.isEmpty == true { report(node, path, "must name at least one observable") }
            return nil
        }
        var normalised: [String] = []
        for (index, value) in values.enumerated() {
            guard let observable = Observable.detect(value) else {
                report(
                    node.sequence?[index] ?? node, "\(path)[\(index)]",
                    "\"\(value)\" is not an IP address, prefix, AS number, domain, URL, e-mail address or hash")
                continue
            }
            normalised.append(observable.description)
        }
        return normalised.count == values.count ? normalised : nil
    }

    private func attachments(_ node: Node, _ path: String) -> [String]? {
        guard let names = strings(node, path) else { return nil }
        for (index, name) in names.enumerated() {
            let item = node.sequence?[index] ?? node
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            if name.hasPrefix("/") || parts.contains("..") || parts.contains("") {
                report(
                    item, "\(path)[\(index)]", "must be a path inside the scenario's folder, without .. or a leading /")
            } else if !attachmentExists(name) {
                report(item, "\(path)[\(index)]", "no file \(name) beside the scenario")
            }
        }
        return names
    }

    private func templated(_ node: Node, _ path: String, maxLength: Int) -> String? {
        guard let value = text(node, path, maxLength: maxLength) else { return nil }
        let unknown = DrillPlaceholders.names(in: value).filter { DrillPlaceholders.known[$0] == nil }
        for name in unknown {
            report(
                node, path,
                "unknown placeholder {{\(name)}} (known: \(DrillPlaceholders.known.keys.sorted().joined(separator: ", ")))"
            )
        }
        return unknown.isEmpty ? value : nil
    }

    private func duration(_ node: Node, _ path: String) -> Int? {
        guard let value = node.scalar?.string, let seconds = DrillDuration.seconds(value) else {
            report(node, path, "must be a duration like 30m, 1h30m or 2d")
            return nil
        }
        return seconds
    }

    private func slugList(_ node: Node, _ path: String) -> [String]? {
        guard let items = node.sequence, !items.isEmpty else {
            report(node, path, "must be a list of at least one team slug")
            return nil
        }
        var slugs: [String] = []
        for (index, item) in items.enumerated() {
            guard let slug = slug(item, "\(path)[\(index)]") else { continue }
            if slugs.contains(slug) { report(item, "\(path)[\(index)]", "\(slug) is named twice") }
            slugs.append(slug)
        }
        return slugs.count == items.count ? slugs : nil
    }

    private func checkParticipating(
        _ slugs: [String], _ node: Node, _ path: String, _ participants: DrillScenario.Participants?
    ) {
        guard case .teams(let playing) = participants else { return }
        for slug in slugs where !playing.contains(slug) {
            report(node, path, "\(slug) is not among the participants")
        }
    }

    private func slug(_ node: Node, _ path: String) -> String? {
        guard let value = node.scalar?.string,
            value.range(of: "^[a-z0-9][a-z0-9-]{0,62}$", options: .regularExpression) != nil
        else {
            report(node, path, "must be a slug: lower-case letters, digits and hyphens")
            return nil
        }
        return value
    }

    private func strings(_ node: Node, _ path: String) -> [String]? {
        guard let items = node.sequence else {
            report(node, path, "must be a list")
            return nil
        }
        var values: [String] = []
        for (index, item) in items.enumerated() {
            guard let value = item.scalar?.string, !value.isEmpty else {
                report(item, "\(path)[\(index)]", "must be a non-empty text")
                continue
            }
            values.append(value)
        }
        return values.count == items.count ? values : nil
    }

    private func text(_ node: Node, _ path: String, maxLength: Int) -> String? {
        guard let value = node.scalar?.string else {
            report(node, path, "must be a text")
            return nil
        }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= maxLength else {
            report(node, path, trimmed.isEmpty ? "must not be empty" : "must be at most \(maxLength) characters")
            return nil
        }
        return trimmed
    }

    func mapping(_ node: Node, _ path: String, allowed: [String]) -> ScenarioFields? {
        guard let mapping = node.mapping else {
            report(node, path, path.isEmpty ? "a scenario must be a mapping of fields" : "must be a mapping of fields")
            return nil
        }
        var fields = ScenarioFields(node: node, path: path)
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            let field = path.isEmpty ? name : path + "." + name
            if !allowed.contains(name) {
                report(key, field, "unknown field (expected \(allowed.joined(separator: ", ")))")
            } else if fields[name] != nil {
                report(key, field, "appears twice")
            } else {
                fields.pairs.append((name, value))
            }
        }
        return fields
    }

    func report(_ node: Node, _ field: String, _ message: String) {
        problems.append(
            ScenarioProblem(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, field: field, message: message))
    }
}

/// The fields of one mapping in a scenario, with the mapping's place for "missing" problems.
struct ScenarioFields {
    let node: Node
    let path: String
    var pairs: [(String, Node)] = []

    subscript(name: String) -> Node? { pairs.first { $0.0 == name }?.1 }

    /// The field, or nil after reporting it missing.
    func required(_ name: String, _ checker: ScenarioChecker, _ path: String = "") -> Node? {
        if let node = self[name] { return node }
        checker.report(node, path.isEmpty ? name : path + "." + name, "is required")
        return nil
    }
}
