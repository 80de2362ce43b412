import ConcordCore
import Fluent
import Foundation

/// Validates and normalises constituency input, naming the offending field for each error, so a
/// whole list is checked before anything is written.
enum ConstituencyNormaliser {
    /// The normalised `(kind, value)` pairs of a grouped constituency; throws 422 listing every bad item.
    static func normalise(_ input: ConstituencyDTO, on database: any Database) async throws -> [(
        ConstituencyEntry.Kind, String
    )] {
        var validator = FieldValidator()
        var result = networkItems(
            prefixes: input.prefixes, asns: input.asns, domains: input.domains, field: "",
            validator: &validator)
        let known = Set(try await Economy.query(on: database).filter(\.$id ~~ input.economies).all().compactMap(\.id))
        for (index, id) in input.economies.enumerated() {
            if known.contains(id) {
                result.append((.economy, id.uuidString))
            } else {
                validator.fail("economies[\(index)]", "unknown economy \(id)")
            }
        }
        try validator.throwIfFailed()
        var seen = Set<String>()
        return result.filter { seen.insert("\($0.0.rawValue) \($0.1)").inserted }
    }

    /// The normalised prefixes, AS numbers and domains; each bad one is recorded in `validator` under
    /// `field` + `prefixes[i]` (and so on).
    static func networkItems(
        prefixes: [String], asns: [String], domains: [String], field: String,
        validator: inout FieldValidator
    ) -> [(ConstituencyEntry.Kind, String)] {
        var result: [(ConstituencyEntry.Kind, String)] = []
        for (index, text) in prefixes.enumerated() {
            switch IPPrefix.parse(text) {
            case .success(let prefix): result.append((.prefix, prefix.description))
            case .failure(let error): validator.fail("\(field)prefixes[\(index)]", "\(error)")
            }
        }
        for (index, text) in asns.enumerated() {
            if let asn = ASNumber(text) {
                result.append((.asn, String(asn.value)))
            } else {
                validator.fail("\(field)asns[\(index)]", "'\(text)' is not an AS number in 1–4294967294")
            }
        }
        for (index, text) in domains.enumerated() {
            switch DomainName.parse(text) {
            case .success(let name): result.append((.domain, name.description))
            case .failure(let error): validator.fail("\(field)domains[\(index)]", "\(error)")
            }
        }
        return result
    }

    /// One item, as `POST /teams/:team/constituency` receives it.
    static func normalise(_ item: ConstituencyItemInput, on database: any Database) async throws -> (
        ConstituencyEntry.Kind, String
    ) {
        var grouped = ConstituencyDTO()
        switch item.kind {
        case .prefix: grouped.prefixes = [item.value]
        case .asn: grouped.asns = [item.value]
        case .domain: grouped.domains = [item.value]
        case .economy:
            guard let id = UUID(uuidString: item.value) else {
                throw ConcordError.invalid(field: "value", "must be an economy id")
            }
            grouped.economies = [id]
        }
        do {
            guard let first = try await normalise(grouped, on: database).first else {
                throw ConcordError.invalid(field: "value", "is empty")
            }
            return first
        } catch let error as ConcordError {
            throw ConcordError.invalid(error.fields.map { .init(field: "value", detail: $0.detail) })
        }
    }
}
