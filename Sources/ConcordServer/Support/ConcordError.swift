import Vapor

/// Every error Concord answers on purpose, with a stable code that becomes the problem `type`.
public struct ConcordError: Error, Sendable, Equatable {
    /// The stable codes. Clients may rely on them; add, never rename.
    public enum Code: String, Sendable {
        case validation = "validation-failed"
        case malformedRequest = "malformed-request"
        case unauthenticated = "unauthenticated"
        case forbidden = "forbidden"
        case notFound = "not-found"
        case conflict = "conflict"
        case locked = "account-locked"
        case unavailable = "unavailable"
        /// The database could not take the write in time (another writer held it): try again.
        case busy = "busy"
        /// Too many failed attempts from this address or for this account: try again after `Retry-After`.
        case throttled = "too-many-attempts"
        /// The request body is larger than the route accepts.
        case tooLarge = "payload-too-large"
    }

    /// One field that failed validation.
    public struct FieldError: Sendable, Equatable, Codable {
        /// The field's name as the client sent it (`constituency.prefixes[2]`).
        public let field: String
        /// What is wrong, in words a person can act on.
        public let detail: String

        /// Creates a field error.
        public init(field: String, detail: String) {
            self.field = field
            self.detail = detail
        }
    }

    public let code: Code
    public let detail: String
    public let fields: [FieldError]
    /// Seconds after which the client may try again (`Retry-After`), for refusals that pass.
    public var retryAfter: Int?

    /// Creates an error.
    public init(_ code: Code, _ detail: String, fields: [FieldError] = []) {
        self.code = code
        self.detail = detail
        self.fields = fields
    }

    /// A 422 naming the fields.
    public static func invalid(_ fields: [FieldError]) -> ConcordError {
        ConcordError(.validation, fields.map { "\($0.field): \($0.detail)" }.joined(separator: "; "), fields: fields)
    }

    /// A 422 naming one field.
    public static func invalid(field: String, _ detail: String) -> ConcordError {
        invalid([FieldError(field: field, detail: detail)])
    }

    /// A 404 for a kind of thing.
    public static func notFound(_ what: String) -> ConcordError { ConcordError(.notFound, "\(what) not found") }

    /// A 503 with `Retry-After`: the write was refused for the moment, not for what it is.
    public static let busy: ConcordError = {
        var error = ConcordError(.busy, "the database is busy with other writes; try again in a moment")
        error.retryAfter = 1
        return error
    }()

    /// A 403.
    public static let forbidden = ConcordError(.forbidden, "you may not do this")

    /// A 401.
    public static let unauthenticated = ConcordError(.unauthenticated, "authentication required")

    /// The HTTP status for the code.
    public var status: HTTPResponseStatus {
        switch code {
        case .validation: return .unprocessableEntity
        case .malformedRequest: return .badRequest
        case .unauthenticated: return .unauthorized
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .conflict: return .conflict
        case .locked: return .locked
        case .unavailable, .busy: return .serviceUnavailable
        case .throttled: return .tooManyRequests
        case .tooLarge: return .payloadTooLarge
        }
    }
}

/// Collects field errors during validation and throws them together.
public struct FieldValidator {
    /// The errors so far.
    public private(set) var errors: [ConcordError.FieldError] = []

    /// Creates an empty validator.
    public init() {}

    /// Records an error for `field` when `condition` is false.
    public mutating func check(_ condition: Bool, _ field: String, _ detail: @autoclosure () -> String) {
        if !condition { errors.append(.init(field: field, detail: detail())) }
    }

    /// Records an error for `field`.
    public mutating func fail(_ field: String, _ detail: String) {
        errors.append(.init(field: field, detail: detail))
    }

    /// Throws a 422 when anything failed.
    public func throwIfFailed() throws {
        if !errors.isEmpty { throw ConcordError.invalid(errors) }
    }
}

extension ConcordError: CustomStringConvertible {
    /// The detail, as the CLI prints it.
    public var description: String { detail }
}
