import ConcordCore
import Fluent
import Vapor

/// Correlation on the JSON API: what else is known about a value or an incident's observables,
/// and the warninglist of values never correlated.
struct CorrelationController: RouteCollection {
    /// An incident observable and what is known about it elsewhere.
    struct ObservableCorrelation: Content {
        let observable: String
        let correlation: CorrelationResult
    }

    /// The warninglist as `PUT` takes and `GET` gives it.
    struct Warninglist: Content {
        let values: [String]
    }

    func boot(routes: any RoutesBuilder) throws {
        typealias P = Paths.Correlation
        let correlations = routes.grouped(.constant(P.correlations))
        correlations.get(use: value)
        correlations.get(.constant(P.warninglist), use: warninglist)
        correlations.put(.constant(P.warninglist), use: replaceWarninglist)
        correlations.get(.constant(P.overCorrelating), use: overCorrelating)
        routes.get(.constant(Paths.incidents), ":incident", .constant(P.correlations), use: incident)
    }

    @Sendable func value(req: Request) async throws -> CorrelationResult {
        try req.policy.require(.lookup)
        return try await CorrelationIndex.lookup(
            try Self.key(req.query[String.self, at: "value"] ?? ""), caller: req.caller)
    }

    @Sendable func incident(req: Request) async throws -> [ObservableCorrelation] {
        let incident = try await IncidentQueries.visible(req.parameters.get("incident") ?? "", caller: req.caller)
        var found: [ObservableCorrelation] = []
        for observable in incident.observables {
            guard let key = try? Self.key(observable.value) else { continue }
            let result = try await CorrelationIndex.lookup(key, excluding: try incident.requireID(), caller: req.caller)
            found.append(ObservableCorrelation(observable: observable.value, correlation: result))
        }
        return found
    }

    @Sendable func warninglist(req: Request) async throws -> Warninglist {
        try req.policy.require(.lookup)
        return Warninglist(values: try await WarninglistEntry.query(on: req.db).sort(\.$value).all().map(\.value))
    }

    /// The values seen in more places than the cap, for the secretariat to judge for the
    /// warninglist. A lookup already tells any member that such a value over-correlates; the list
    /// names no place, and it is the secretariat's because it reads the whole index.
    @Sendable func overCorrelating(req: Request) async throws -> [CorrelationIndex.OverCorrelating] {
        try req.policy.require(.manageWarninglist)
        return try await CorrelationIndex.overCorrelating(on: req.db)
    }

    /// Replaces the whole list, all or nothing; each value must be an observable.
    @Sendable func replaceWarninglist(req: Request) async throws -> Warninglist {
        try req.policy.require(.manageWarninglist)
        let input = try req.content.decode(Warninglist.self)
        var validator = FieldValidator()
        var entries: [String: String] = [:]
        for (index, value) in input.values.enumerated() {
            if let observable = Observable.detect(value) {
                entries[CorrelationKeys.key(of: observable)] = observable.description
            } else {
                validator.fail(
                    "values[\(index)]",
                    "'\(value)' is not an address, prefix, AS number, domain, URL, e-mail address or hash")
            }
        }
        try validator.throwIfFailed()
        let chosen = entries
        try await req.db.writeTransaction { db in
            try await WarninglistEntry.query(on: db).delete()
            for (key, value) in chosen {
                let entry = WarninglistEntry()
                entry.key = key
                entry.value = value
                try await entry.create(on: db)
            }
            try await AuditLog.record(
                "correlation.warninglist", targetType: "warninglist", targetID: "forum",
                summary: "warninglist replaced: \(chosen.count) values", caller: req.caller, on: db)
        }
        return Warninglist(values: chosen.values.sorted())
    }

    /// The correlation key of a value typed by a person; anything that is no observable is a 422.
    static func key(_ value: String) throws -> String {
        guard let observable = Observable.detect(value) else {
            throw ConcordError.invalid(
                field: "value", "'\(value)' is not an address, prefix, AS number, domain, URL, e-mail address or hash")
        }
        return CorrelationKeys.key(of: observable)
    }
}
