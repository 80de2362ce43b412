import Fluent
import Vapor

/// What a service is given in place of the request: who asks (nil for an anonymous caller), the
/// one policy that answers for them, the database, the clock, and the application for its settings
/// and shared state (the routing directory). Controllers make one per request (`req.caller`) and do
/// the HTTP; services do the work and return values, never a `Response`.
struct Caller: Sendable {
    let principal: Principal?
    let policy: Policy
    let db: any Database
    let clock: any ConcordClock
    let app: Application
    /// Who the audit log names, from where.
    let actor: AuditLog.Actor

    /// The principal, or 401 for an anonymous caller.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw ConcordError.unauthenticated }
        return principal
    }
}

extension Request {
    /// This request as the services see it.
    var caller: Caller {
        let principal = auth.get(Principal.self)
        return Caller(
            principal: principal, policy: policy, db: db, clock: application.clock, app: application,
            actor: AuditLog.Actor(principal, from: self))
    }
}

extension AuditLog.Actor {
    /// `principal` (or "anonymous"), at the request's peer address.
    init(_ principal: Principal?, from request: Request) {
        self.init(
            name: principal?.email ?? "anonymous", userID: principal?.userID,
            remoteAddress: request.clientAddress, clock: request.application.clock)
    }
}
