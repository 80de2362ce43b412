import ConcordCore
import Foundation
import Vapor

/// The body of `POST /economies` and `PATCH /economies/:economy`.
struct EconomyInput: Content {
    var name: String?
    var isoCode: String?

    func validate(creating: Bool) throws {
        var validator = FieldValidator()
        if creating || name != nil {
            validator.check(!(name ?? "").trimmingCharacters(in: .whitespaces).isEmpty, "name", "must not be empty")
            validator.check((name ?? "").count <= 100, "name", "must be at most 100 characters")
        }
        if let code = isoCode {
            validator.check(
                code.count == 2 && code.allSatisfy { $0.isASCII && $0.isUppercase }, "isoCode",
                "must be an ISO 3166-1 alpha-2 code such as JP")
        }
        try validator.throwIfFailed()
    }
}

/// The body of `POST /teams` (every required field) and `PATCH /teams/:team` (any subset).
struct TeamInput: Content {
    var slug: String?
    var shortName: String?
    var fullName: String?
    var hostOrganisation: String?
    /// The economy's id or ISO code.
    var economy: String?
    /// The membership category's slug.
    var category: String?
    var joinedOn: String?
    var mayVoteFrom: String?
    var website: String?
    var businessHours: String?
    var timeZone: String?
    /// Minutes the team promises to acknowledge within (1–10080); 0 returns to the forum's default.
    var acknowledgementMinutes: Int?
    var description: String?
    var isSecretariat: Bool?
    var internalNotes: String?
    var rfc2350: RFC2350DTO?

    /// Checks the fields given (and, when creating, that the required ones are there).
    func validate(creating: Bool) throws {
        var validator = FieldValidator()
        if creating {
            for (name, value) in [
                ("slug", slug), ("shortName", shortName), ("fullName", fullName),
                ("economy", economy), ("category", category),
            ] where value == nil {
                validator.fail(name, "is required")
            }
        }
        if let slug {
            validator.check(Self.isSlug(slug), "slug", "must be 2–40 lower-case letters, digits and hyphens")
        }
        for (name, value) in [("shortName", shortName), ("fullName", fullName)] {
            if let value {
                validator.check(
                    !value.trimmingCharacters(in: .whitespaces).isEmpty && value.count <= 200, name,
                    "must be 1–200 characters")
            }
        }
        for (name, value) in [
            ("joinedOn", joinedOn), ("mayVoteFrom", mayVoteFrom), ("rfc2350.updatedOn", rfc2350?.updatedOn),
        ] {
            if let value { validator.check(ISODate.isValid(value), name, "must be a date as YYYY-MM-DD") }
        }
        if let website {
            let url = URL(string: website)
            validator.check(url?.scheme == "https" || url?.scheme == "http", "website", "must be an http(s) URL")
        }
        if let timeZone {
            validator.check(
                TimeZone(identifier: timeZone) != nil, "timeZone", "must be an IANA time zone such as Asia/Tokyo")
        }
        if let acknowledgementMinutes {
            validator.check(
                (0...10_080).contains(acknowledgementMinutes), "acknowledgementMinutes",
                "must be 1–10080 minutes (a week), or 0 for the forum's default")
        }
        try validator.throwIfFailed()
    }

    static func isSlug(_ text: String) -> Bool {
        (2...40).contains(text.count)
            && text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
            && !text.hasPrefix("-")
    }
}

/// The body of `POST /teams/:team/status`.
struct StatusInput: Content {
    var status: String
    var effectiveOn: String
    var note: String?

    /// The status, parsed once; a bad status or date is refused with its field's name.
    func validated() throws -> TeamStatus {
        var validator = FieldValidator()
        let parsed = TeamStatus(rawValue: status)
        validator.check(parsed != nil, "status", "must be one of applied, active, suspended, former")
        validator.check(ISODate.isValid(effectiveOn), "effectiveOn", "must be a date as YYYY-MM-DD")
        try validator.throwIfFailed()
        guard let parsed else {
            throw ConcordError.invalid(field: "status", "must be one of applied, active, suspended, former")
        }
        return parsed
    }
}

/// The body of `POST /teams/:team/contacts` and `PATCH …/contacts/:contact`.
struct ContactInput: Content {
    var kind: Contact.Kind?
    var value: String?
    var availability: Contact.Availability?
    var published: Bool?
    var lastVerifiedOn: String?
    /// An ASCII-armoured OpenPGP public key; an empty string removes the key.
    var pgpKey: String?

    func validate(creating: Bool, existingKind: Contact.Kind? = nil) throws {
        var validator = FieldValidator()
        if creating {
            validator.check(kind != nil, "kind", "is required")
            validator.check(value != nil, "value", "is required")
        }
        let kind = self.kind ?? existingKind
        if let value {
            validator.check(!value.isEmpty && value.count <= 320, "value", "must be 1–320 characters")
            if let kind, kind.isEmail { validator.check(Self.isEmail(value), "value", "must be an e-mail address") }
        }
        if let lastVerifiedOn {
            validator.check(ISODate.isValid(lastVerifiedOn), "lastVerifiedOn", "must be a date as YYYY-MM-DD")
        }
        if let pgpKey, !pgpKey.isEmpty {
            validator.check(kind?.isEmail == true, "pgpKey", "only e-mail contacts carry an OpenPGP key")
            validator.check(pgpKey.utf8.count <= 200_000, "pgpKey", "is larger than 200 kB")
        }
        try validator.throwIfFailed()
    }

    /// One definition of an e-mail address for the whole project: Core's observable parser.
    static func isEmail(_ text: String) -> Bool {
        // Stored as sent, so surrounding white space is refused rather than trimmed.
        guard text.trimmingCharacters(in: .whitespacesAndNewlines) == text else { return false }
        if case .success = Observable.parse(text, as: .email) { return true }
        return false
    }
}

/// One constituency element as a client writes it.
struct ConstituencyItemInput: Content {
    var kind: ConstituencyEntry.Kind
    var value: String
}

/// Dates without time of day, as `YYYY-MM-DD`.
enum ISODate {
    static func isValid(_ text: String) -> Bool { date(text) != nil }

    static func date(_ text: String) -> Date? {
        guard text.count == 10 else { return nil }
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .iso8601)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
        return date
    }

    static func string(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .iso8601)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
