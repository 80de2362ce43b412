import ConcordCore
import Foundation

/// A variable set to a value Concord does not accept: start-up stops with this one line, naming
/// the variable and what it accepts, instead of quietly using a default.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let variable: String
    /// The value as set; nil for secrets, which are never printed.
    public let value: String?
    public let accepts: String

    public var description: String {
        let shown = value.map { " is \"\($0)\"" } ?? " is not valid"
        return "\(variable)\(shown): it must be \(accepts)"
    }
}

/// Reads declared settings from an environment, each parsed once and refused when wrong. An unset
/// or empty variable gives nil (the caller's default).
struct EnvironmentSettings {
    let environment: [String: String]

    /// The raw text of a declared variable, nil when unset or empty.
    func text(_ name: String) -> String? {
        _ = ConcordConfiguration.setting(name)
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// The value read by `parse`, which returns nil for a value it refuses.
    func value<T>(_ name: String, _ parse: (String) -> T?) throws -> T? {
        guard let raw = text(name) else { return nil }
        guard let parsed = parse(raw.trimmingCharacters(in: .whitespaces)) else {
            let secret = ["SECRET", "TOKEN", "PASSWORD"].contains { name.contains($0) }
            throw ConfigurationError(
                variable: name, value: secret ? nil : raw, accepts: ConcordConfiguration.setting(name).accepts)
        }
        return parsed
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        try value(name) { Int($0).flatMap { range.contains($0) ? $0 : nil } }
    }

    func number(_ name: String, where valid: @escaping (Double) -> Bool) throws -> Double? {
        try value(name) { Double($0).flatMap { $0.isFinite && valid($0) ? $0 : nil } }
    }

    /// IP addresses or prefixes, separated by commas (a bare address is its host prefix).
    func prefixes(_ name: String) throws -> [IPPrefix]? {
        try value(name) { text -> [IPPrefix]? in
            let prefixes = text.split(separator: ",").map { IPPrefix($0.trimmingCharacters(in: .whitespaces)) }
            return prefixes.isEmpty || prefixes.contains { $0 == nil } ? nil : prefixes.compactMap { $0 }
        }
    }

    /// `0` or `1`.
    func flag(_ name: String) throws -> Bool? {
        try value(name) { ["0": false, "1": true][$0] }
    }

    func choice(_ name: String, among choices: Set<String>) throws -> String? {
        try value(name) { choices.contains($0.lowercased()) ? $0.lowercased() : nil }
    }
}
