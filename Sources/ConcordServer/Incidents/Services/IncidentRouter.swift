import ConcordCore
import Foundation

/// Routes an incident's observables with the foundation's lookup: each observable goes to the teams
/// its IP, AS or domain belongs to (most specific first), else to the economy's national team, else
/// to the secretariat. The result is one entry per team with every reason that chose it.
enum IncidentRouter {
    /// Parses every observable (naming `observables[i].value` for bad ones) and routes them.
    static func route(
        _ inputs: [ObservableInput], economy: String?, snapshot: RoutingSnapshot, validator: inout FieldValidator
    )
        -> (observables: [Observable], teams: [(id: UUID, reasons: [String])])
    {
        var observables: [Observable] = []
        for (index, input) in inputs.enumerated() {
            if let kindText = input.kind {
                guard let kind = Observable.Kind(rawValue: kindText) else {
                    validator.fail("observables[\(index)].kind", "unknown kind '\(kindText)'")
                    continue
                }
                switch Observable.parse(input.value, as: kind) {
                case .success(let observable): observables.append(observable)
                case .failure(let error): validator.fail("observables[\(index)].value", error.description)
                }
            } else if let observable = Observable.detect(input.value) {
                observables.append(observable)
            } else if case .failure(let error) = DomainName.parse(input.value), case .numericTopLevel = error {
                validator.fail("observables[\(index)].value", error.description)
            } else {
                validator.fail(
                    "observables[\(index)].value",
                    "'\(input.value)' is not an address, prefix, AS, domain, URL, e-mail or hash")
            }
        }
        let hint = economy.flatMap { snapshot.economyByCode[$0.lowercased()] }?.uuidString
        var order: [UUID] = []
        var reasons: [UUID: [String]] = [:]
        for observable in observables {
            guard let query = observable.routingQuery else { continue }
            for match in snapshot.table.route(query, economy: hint) {
                let economyName: String?
                if case .nationalTeam(let key) = match.reason {
                    economyName = UUID(uuidString: key).flatMap { snapshot.economyNames[$0] }
                } else {
                    economyName = nil
                }
                let reason = match.explanation(
                    query: observable.description, teamName: snapshot.teams[match.team]?.shortName ?? "?",
                    economyName: economyName)
                if reasons[match.team] == nil { order.append(match.team) }
                reasons[match.team, default: []].append(reason)
            }
        }
        return (observables, order.map { ($0, reasons[$0] ?? []) })
    }
}
