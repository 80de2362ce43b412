import Fluent
import Foundation

/// A user turns their own second factor (RFC 6238 TOTP) on and off. It is on only once a code from
/// the new secret has been typed back (so nobody is left with a factor their app does not hold),
/// and that code's step counts as used; turning it off takes a current code. Both are audited.
enum SecondFactor {
    /// A new secret: 20 random bytes in Base32, for an authenticator app.
    static func newSecret() -> String { TOTP.base32([UInt8].random(count: 20)) }

    /// The `otpauth://` URI an authenticator app reads (as a link or typed in).
    static func uri(email: String, secret: String) -> String {
        let label = "Concord:\(email)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? email
        return "otpauth://totp/\(label)?secret=\(secret)&issuer=Concord&algorithm=SHA1&digits=6&period=30"
    }

    /// The secret in groups of four, for typing into an app by hand.
    static func grouped(_ secret: String) -> String {
        stride(from: 0, to: secret.count, by: 4).map { start in
            let from = secret.index(secret.startIndex, offsetBy: start)
            return String(
                secret[from..<(secret.index(from, offsetBy: 4, limitedBy: secret.endIndex) ?? secret.endIndex)])
        }.joined(separator: " ")
    }

    /// Turns the caller's second factor on with `secret`, when `code` is its code now.
    static func enable(secret: String, code: String, caller: Caller) async throws {
        let user = try await account(of: caller)
        guard let bytes = TOTP.base32Decode(secret), bytes.count >= 10 else {
            throw ConcordError.invalid(field: "code", "start again: the setup has expired")
        }
        guard let step = TOTP.matchingStep(code, secret: bytes, now: caller.clock.now()) else {
            throw ConcordError.invalid(
                field: "code", "that is not the app's current code; check the phone's clock and type the newest one")
        }
        user.totpSecret = secret
        user.totpLastStep = step
        try await caller.db.writeTransaction { db in
            try await user.save(on: db)
            try await AuditLog.record(
                "user.totp", targetType: "user", targetID: user.email,
                summary: "second factor turned on by its owner", caller: caller, on: db)
        }
    }

    /// Turns the caller's second factor off, when `code` is a current code not used before.
    static func disable(code: String, caller: Caller) async throws {
        let user = try await account(of: caller)
        guard let secret = user.totpSecret.flatMap(TOTP.base32Decode) else {
            throw ConcordError(.conflict, "your account has no second factor")
        }
        guard let step = TOTP.matchingStep(code, secret: secret, now: caller.clock.now()),
            step > (user.totpLastStep ?? -1)
        else { throw ConcordError.invalid(field: "code", "that is not a current code from your app") }
        user.totpSecret = nil
        user.totpLastStep = step
        try await caller.db.writeTransaction { db in
            try await user.save(on: db)
            try await AuditLog.record(
                "user.totp", targetType: "user", targetID: user.email,
                summary: "second factor turned off by its owner", caller: caller, on: db)
        }
    }

    private static func account(of caller: Caller) async throws -> User {
        let principal = try caller.requirePrincipal()
        guard let user = try await User.find(principal.userID, on: caller.db) else {
            throw ConcordError.unauthenticated
        }
        return user
    }
}
