import Foundation
import Logging

/// Writes each log line as one JSON object (`CONCORD_LOG_FORMAT=json`), for the log shippers
/// operators already run: `time` (ISO 8601, UTC, milliseconds), `level`, `instance`, `label`,
/// `request_id` when the line belongs to a request, `message`, and any other metadata under
/// `metadata`. What Concord logs holds nothing private (see `RouteLoggingMiddleware`); this only
/// changes its shape.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let instance: String
    private let clock: any ConcordClock
    private let write: @Sendable (String) -> Void

    /// One line per event on standard error. `instance` names this process in every line.
    public static func standardError(label: String, instance: String) -> JSONLogHandler {
        JSONLogHandler(label: label, instance: instance, clock: SystemClock()) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    init(label: String, instance: String, clock: any ConcordClock, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.instance = instance
        self.clock = clock
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let requestID = merged.removeValue(forKey: "request-id")
        var object: [String: Any] = [
            "time": Self.timestamp(clock.now()), "level": event.level.rawValue, "instance": instance,
            "label": label, "message": event.message.description,
        ]
        if let requestID { object["request_id"] = requestID.description }
        if !merged.isEmpty { object["metadata"] = merged.mapValues(Self.json) }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        write(String(decoding: data, as: UTF8.self))
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return values.map(json)
        case .dictionary(let values): return values.mapValues(json)
        }
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// How `concord` writes its log: `CONCORD_LOG_FORMAT` is `text` (the default, for a terminal) or
/// `json` (one object per line). Any other value is refused at start-up.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json

    /// The format `environment` asks for.
    public init(environment: [String: String]) throws {
        guard let raw = environment["CONCORD_LOG_FORMAT"], !raw.isEmpty else {
            self = .text
            return
        }
        guard let format = LogFormat(rawValue: raw.lowercased()) else {
            throw ConcordError.invalid(field: "CONCORD_LOG_FORMAT", "is \"\(raw)\"; use text or json")
        }
        self = format
    }
}
