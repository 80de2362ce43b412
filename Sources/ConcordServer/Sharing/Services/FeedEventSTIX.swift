import ConcordCore
import Foundation

/// A bulk-feed (IntelMQ) event as STIX: the SCOs of its source (address, AS number, name) and an
/// `observed-data` that groups them, with the feed and classification kept as `x_intelmq_*`
/// properties, under the TLP the feed was imported with.
enum FeedEventSTIX {
    /// The event's objects; empty when it names no observable source.
    static func objects(of event: StoredFeedEvent, label: TLPLabel, author: JSONValue) -> [[String: JSONValue]] {
        var observables: [Observable] = []
        if let ip = event.sourceIP, let address = Observable.detect(ip) { observables.append(address) }
        if let asn = event.sourceASN, let number = Observable.detect("AS\(asn)") { observables.append(number) }
        if let name = event.sourceFQDN, case .success(let domain) = Observable.parse(name, as: .domain) {
            observables.append(domain)
        }
        guard !observables.isEmpty else { return [] }
        let marking = JSONValue.array([.string(TLPMarking.id(of: label))])
        var objects: [[String: JSONValue]] = observables.map { observable in
            STIXIdentifiers.sco(STIXObservableMapping.observation(of: observable), marking: marking)
        }
        let seen = STIXTimestamp(date: event.timeSource ?? event.receivedAt).description
        let fingerprint = event.id.map { $0.map { String(format: "%02x", $0) }.joined() } ?? UUID().uuidString
        objects.append([
            "type": "observed-data", "spec_version": "2.1",
            "id": .string(STIXIdentifiers.derived("observed-data", seed: "feed-event|\(fingerprint)")),
            "created": .string(seen), "modified": .string(seen), "created_by_ref": author,
            "first_observed": .string(seen), "last_observed": .string(seen), "number_observed": 1,
            "object_refs": .array(objects.compactMap { $0["id"] }), "object_marking_refs": marking,
            "x_intelmq_feed": .string(event.feedName),
            "x_intelmq_classification": .string("\(event.taxonomy)/\(event.type)"),
        ])
        return objects
    }
}
