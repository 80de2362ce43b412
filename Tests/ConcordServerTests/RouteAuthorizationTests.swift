import ConcordTestTools
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// Every route as every actor. A route without an entry in `expectations` fails the test, so a new
/// route cannot ship without deciding who may use it.
@Suite struct RouteAuthorizationTests {
    /// Who may use a route: `public` (anyone), `members` (any logged-in user), or these actors.
    enum Allowed: Sendable {
        case everyone
        case members
        case only(Set<Actor>)
    }

    static let forumWide: Allowed = .only([.secretariat, .forumAdmin])
    static let teamEditors: Allowed = .only([.teamAdmin, .secretariat, .forumAdmin])
    static let reporters: Allowed = .only([.handler, .teamAdmin, .teamAdminOther, .secretariat, .forumAdmin])
    /// A team's own handlers and administrators, acting for their team alone (a ballot between meetings).
    static let teamRepresentatives: Allowed = .only([.handler, .teamAdmin, .teamAdminOther])
    static let singcertWorkers: Allowed = .only([.handler, .teamAdmin, .secretariat, .forumAdmin])
    /// Who may comment on or attach to the seeded incident: its reporting and assigned teams' handlers
    /// and admins (SingCERT, NUSCERT) and the secretariat; never observers.
    static let singcertContributors: Allowed = .only([
        .handler, .teamAdmin, .teamAdminOther, .secretariat, .forumAdmin,
    ])

    /// Who reads SingCERT's submission to the annual report: its people and the forum-wide roles.
    static let singcertReaders: Allowed = .only([.observer, .handler, .teamAdmin, .secretariat, .forumAdmin])
    /// Who fills it in: SingCERT's handlers and administrators.
    static let singcertEditors: Allowed = .only([.handler, .teamAdmin])

    /// Who administers accounts: a forum administrator, and each team's administrator (own team).
    static let userAdministrators: Allowed = .only([.teamAdmin, .teamAdminOther, .forumAdmin])

    static let expectations: [String: Allowed] = [
        "GET /api/v1/users": userAdministrators,
        "GET /api/v1/statistics": .members,
        "GET /api/v1/statistics.csv": .members,
        // The annual report: the secretariat runs the year; a team's submission is its own to fill
        // (handlers and administrators) and its own and the secretariat's to read.
        "GET /api/v1/reporting-years": .members,
        "POST /api/v1/reporting-years": forumWide,
        "GET /api/v1/reporting-years/:year": forumWide,
        "PATCH /api/v1/reporting-years/:year": forumWide,
        "GET /api/v1/reporting-years/:year/submissions/:team": singcertReaders,
        "PUT /api/v1/reporting-years/:year/submissions/:team": singcertEditors,
        "PUT /api/v1/reporting-years/:year/submissions/:team/counts.csv": singcertEditors,
        "GET /api/v1/reporting-years/:year/submissions/:team/template.csv": singcertReaders,
        "POST /api/v1/reporting-years/:year/submissions/:team/submit": singcertEditors,
        "POST /api/v1/reporting-years/:year/submissions/:team/accept": forumWide,
        "POST /api/v1/reporting-years/:year/submissions/:team/return": forumWide,
        "GET /api/v1/teams/:team/category-mapping": singcertReaders,
        "PUT /api/v1/teams/:team/category-mapping": singcertEditors,
        "POST /api/v1/reporting-years/:year/editions": forumWide,
        "GET /api/v1/reporting-years/:year/editions": .members,
        "GET /api/v1/reporting-years/:year/editions/:number/:file": .members,
        "GET /api/v1/reporting-years/:year/preview": forumWide,
        "GET /reports/:year/editions": .members,
        "POST /reports/:year/editions": forumWide,
        "GET /reports/:year/editions/:number/:file": .members,
        "GET /reports/:year/preview": forumWide,
        "GET /reports": .members,
        "GET /api/v1/governance/constitution": .members,
        "POST /api/v1/governance/constitution": forumWide,
        "GET /api/v1/governance/constitution/versions": .members,
        "GET /api/v1/governance/offices": .members,
        "GET /governance": .members,
        "GET /api/v1/governance/meetings": .members,
        "POST /api/v1/governance/meetings": forumWide,
        "GET /api/v1/governance/meetings/:meeting": .members,
        "POST /api/v1/governance/meetings/:meeting/open": forumWide,
        "POST /api/v1/governance/meetings/:meeting/close": forumWide,
        "POST /api/v1/governance/meetings/:meeting/attendance": reporters,
        "POST /api/v1/governance/meetings/:meeting/proxies": reporters,
        "POST /api/v1/governance/meetings/:meeting/motions": reporters,
        "GET /api/v1/governance/motions/:motion": .members,
        "POST /api/v1/governance/motions/:motion/second": reporters,
        "POST /api/v1/governance/motions/:motion/open": forumWide,
        "POST /api/v1/governance/motions/:motion/votes": reporters,
        "POST /api/v1/governance/motions/:motion/close": forumWide,
        "POST /api/v1/governance/motions/:motion/casting-vote": forumWide,
        "POST /governance/meetings": forumWide,
        "GET /api/v1/governance/meetings/:meeting/minutes/:file": forumWide,
        "GET /governance/meetings/:meeting/minutes/:file": forumWide,
        "GET /governance/meetings/:meeting": .members,
        "POST /governance/meetings/:meeting/open": forumWide,
        "POST /governance/meetings/:meeting/close": forumWide,
        "POST /governance/meetings/:meeting/attendance": reporters,
        "POST /governance/meetings/:meeting/proxies": reporters,
        "POST /governance/meetings/:meeting/motions": reporters,
        "POST /governance/motions/:motion/second": reporters,
        "POST /governance/motions/:motion/open": forumWide,
        "POST /governance/motions/:motion/votes": reporters,
        "POST /governance/motions/:motion/close": forumWide,
        "POST /governance/constitution": forumWide,
        "GET /api/v1/governance/votes": .members,
        "POST /api/v1/governance/votes": forumWide,
        "GET /api/v1/governance/votes/:vote": .members,
        "POST /api/v1/governance/votes/:vote/ballots": teamRepresentatives,
        "POST /api/v1/governance/votes/:vote/withdraw": forumWide,
        "POST /api/v1/governance/votes/:vote/casting-vote": forumWide,
        "POST /api/v1/governance/vote-replies": forumWide,
        // Elections: the secretariat calls, opens and closes them; teams nominate and second by
        // their representatives (or the secretariat for the record); a ballot is the team's own.
        "GET /api/v1/elections": .members,
        "POST /api/v1/elections": forumWide,
        "GET /api/v1/elections/:election": .members,
        "GET /api/v1/elections/:election/board": .everyone,
        "POST /api/v1/elections/:election/nominations": reporters,
        "POST /api/v1/elections/:election/nominations/:team/second": reporters,
        "POST /api/v1/elections/:election/nominations/:team/withdraw": reporters,
        "POST /api/v1/elections/:election/open": forumWide,
        "POST /api/v1/elections/:election/ballots": teamRepresentatives,
        "POST /api/v1/elections/:election/close": forumWide,
        "POST /api/v1/elections/:election/cancel": forumWide,
        "GET /governance/elections/:election": .members,
        "POST /governance/elections": forumWide,
        "POST /governance/elections/:election/nominations": reporters,
        "POST /governance/elections/:election/nominations/:team/second": reporters,
        "POST /governance/elections/:election/nominations/:team/withdraw": reporters,
        "POST /governance/elections/:election/open": forumWide,
        "POST /governance/elections/:election/ballots": teamRepresentatives,
        "POST /governance/elections/:election/close": forumWide,
        "POST /governance/elections/:election/cancel": forumWide,
        "POST /governance/votes": forumWide,
        "GET /governance/votes/:vote": .members,
        "POST /governance/votes/:vote/ballots": teamRepresentatives,
        "POST /governance/votes/:vote/withdraw": forumWide,
        "POST /reports": forumWide,
        "GET /reports/:year": .members,
        "POST /reports/:year": forumWide,
        "GET /reports/:year/submissions/:team": singcertReaders,
        "POST /reports/:year/submissions/:team": singcertEditors,
        "POST /reports/:year/submissions/:team/upload": singcertEditors,
        "GET /reports/:year/submissions/:team/template.csv": singcertReaders,
        "POST /reports/:year/submissions/:team/accept": forumWide,
        "POST /reports/:year/submissions/:team/return": forumWide,
        "POST /reports/:year/submissions/:team/categories": singcertEditors,
        "POST /api/v1/users": userAdministrators,
        "PATCH /api/v1/users/:user": userAdministrators,
        "GET /admin/users": userAdministrators,
        "POST /admin/users": userAdministrators,
        "POST /admin/users/:user/role": userAdministrators,
        "POST /admin/users/:user/disable": userAdministrators,
        "POST /admin/users/:user/enable": userAdministrators,
        "GET /api/v1/health": .everyone,
        "GET /api/v1/health/live": .everyone,
        "GET /api/v1/health/ready": .everyone,
        "GET /api/v1/openapi.yaml": .everyone,
        "GET /metrics": .everyone,
        "GET /api/v1/me": .members,
        "GET /api/v1/economies": .members,
        "POST /api/v1/economies": forumWide,
        "GET /api/v1/economies/:economy": .members,
        "PATCH /api/v1/economies/:economy": forumWide,
        "DELETE /api/v1/economies/:economy": forumWide,
        "GET /api/v1/categories": .members,
        "POST /api/v1/categories": forumWide,
        "PATCH /api/v1/categories/:category": forumWide,
        "GET /api/v1/teams": .members,
        "POST /api/v1/teams": forumWide,
        "GET /api/v1/teams/:team": .members,
        "PATCH /api/v1/teams/:team": teamEditors,
        "DELETE /api/v1/teams/:team": forumWide,
        "POST /api/v1/teams/:team/status": forumWide,
        "GET /api/v1/teams/:team/contacts": .members,
        "POST /api/v1/teams/:team/contacts": teamEditors,
        "PATCH /api/v1/teams/:team/contacts/:contact": teamEditors,
        "DELETE /api/v1/teams/:team/contacts/:contact": teamEditors,
        "GET /api/v1/teams/:team/constituency": .members,
        "PUT /api/v1/teams/:team/constituency": teamEditors,
        "POST /api/v1/teams/:team/constituency": teamEditors,
        "DELETE /api/v1/teams/:team/constituency": teamEditors,
        "GET /api/v1/lookup": .members,
        "GET /api/v1/directory-checks": .members,
        "GET /api/v1/audit": forumWide,
        "GET /api/v1/directory/export.json": .members,
        "GET /api/v1/directory/export.csv": .members,
        "POST /api/v1/directory/import": forumWide,
        "GET /api/v1/teams/:team/rfc2350.txt": .members,
        "GET /api/v1/teams/:team/contacts.vcf": .members,
        // The seeded incident is TLP:GREEN, reported by SingCERT and assigned to SingCERT and NUSCERT.
        "GET /api/v1/incidents": .members,
        "POST /api/v1/incidents": reporters,
        "POST /api/v1/incidents/preview": reporters,
        "GET /api/v1/incidents/:incident": .members,
        "POST /api/v1/incidents/:incident/assignments/:team": singcertWorkers,
        "POST /api/v1/incidents/:incident/close": singcertWorkers,
        "POST /api/v1/incidents/:incident/duplicate-of": singcertWorkers,
        "GET /api/v1/inbox": .members,
        "GET /api/v1/desk": .members,
        "POST /api/v1/incidents/:incident/comments": singcertContributors,
        "POST /api/v1/incidents/:incident/routing": forumWide,
        "POST /api/v1/incidents/:incident/attachments": singcertContributors,
        "GET /api/v1/incidents/:incident/attachments/:attachment": .members,
        "POST /api/v1/incidents/:incident/share": singcertWorkers,
        "GET /api/v1/sharing-groups": .members,
        "POST /api/v1/sharing-groups": reporters,
        "GET /api/v1/sharing/deliveries": .members,
        "GET /api/v1/correlations": .members,
        "POST /api/v1/sharing/sightings": reporters,
        "POST /api/v1/sharing/feed-events": reporters,
        "GET /api/v1/sharing/sightings": .members,
        "POST /api/v1/sharing/misp-events": reporters,
        "GET /api/v1/sharing/misp-feed/manifest.json": .members,
        "GET /api/v1/sharing/misp-feed/hashes.csv": .members,
        "GET /api/v1/sharing/misp-feed/:event": .members,
        "GET /api/v1/correlations/warninglist": .members,
        "PUT /api/v1/correlations/warninglist": forumWide,
        "GET /api/v1/correlations/over-correlating": forumWide,
        "GET /api/v1/incidents/:incident/correlations": .members,
        "POST /api/v1/feeds/events": .only([.teamAdmin, .teamAdminOther, .secretariat, .forumAdmin]),
        "GET /api/v1/feeds/imports/:import": .only([.teamAdmin, .teamAdminOther, .secretariat, .forumAdmin]),
        "GET /api/v1/feeds/triage": forumWide,
        "GET /api/v1/teams/:team/webhook": teamEditors,
        "PUT /api/v1/teams/:team/webhook": teamEditors,
        "DELETE /api/v1/teams/:team/webhook": teamEditors,
        "GET /api/v1/forum-key": .everyone,
        "GET /api/v1/teams/:team/sensors": .only([.observer, .handler, .teamAdmin, .secretariat, .forumAdmin]),
        "POST /api/v1/teams/:team/sensors": teamEditors,
        // A sensor's own token is the authority: every user is refused (401 anonymous, 403 the rest).
        "POST /api/v1/sensor-uploads": .only([]),
        "GET /api/v1/sensor-network/overview": .members,
        "GET /api/v1/sensor-network/ports/:protocol/:port": .members,
        "GET /api/v1/sensor-network/sensors": .members,
        "GET /api/v1/sensor-network/alerts": .members,
        "GET /api/v1/sensor-network/export/:file": .members,
        // TAXII 2.1 on the forum-wide collection; the object and status ids name nothing (404).
        "GET /taxii2": .members,
        "GET /taxii2/forum": .members,
        "GET /taxii2/forum/status/:status": .members,
        "GET /taxii2/forum/collections": .members,
        "GET /taxii2/forum/collections/:collection": .members,
        "GET /taxii2/forum/collections/:collection/manifest": .members,
        "GET /taxii2/forum/collections/:collection/objects": .members,
        "POST /taxii2/forum/collections/:collection/objects": reporters,
        "GET /taxii2/forum/collections/:collection/objects/:object": .members,
        "DELETE /taxii2/forum/collections/:collection/objects/:object": reporters,
        "GET /taxii2/forum/collections/:collection/objects/:object/versions": .members,
        // Drills: the library and planning are the secretariat's; a drill id names nothing here, and
        // an unknown (or hidden) drill is 404 for every member.
        "POST /api/v1/drill-scenarios": forumWide,
        "GET /api/v1/drill-scenarios": forumWide,
        "GET /api/v1/drill-scenarios/:scenario": forumWide,
        "POST /api/v1/drills": forumWide,
        "GET /api/v1/drills": .members,
        "GET /api/v1/drills/:drill/board": .members,
        "GET /api/v1/drills/:drill/board/events": .members,
        "POST /api/v1/drills/:drill/control": .members,
        "POST /api/v1/drills/:drill/injects": .members,
        "POST /api/v1/drills/:drill/responses": .members,
        "POST /api/v1/drills/:drill/replies": .members,
        "GET /api/v1/drills/:drill/actions": .members,
        "POST /api/v1/drills/:drill/actions/:action/decision": .members,
        "GET /api/v1/drills/:drill/report": .members,
        "GET /api/v1/drills/:drill/report.csv": .members,
        "POST /api/v1/comm-checks": forumWide,
        "GET /api/v1/comm-checks": .members,
        "GET /api/v1/comm-checks/:check/report": .members,
        "POST /api/v1/comm-checks/:check/answer": .only([.handler, .teamAdmin, .teamAdminOther]),
        "POST /api/v1/comm-checks/:check/challenges/:challenge/call": forumWide,
        "POST /api/v1/comm-checks/replies": forumWide,
        "GET /api/v1/comm-checks/teams/:team/history": .only([
            .observer, .handler, .teamAdmin, .secretariat, .forumAdmin,
        ]),
        "POST /api/v1/comm-check-schedules": forumWide,
        "GET /api/v1/comm-check-schedules": forumWide,
        // Web pages: anonymous visitors are sent to /login (303) instead of 401.
        "GET /login": .everyone,
        "POST /login": .everyone,
        "POST /logout": .everyone,
        "GET /account/password": .members,
        "POST /account/password": .members,
        "GET /": .members,
        "GET /desk": .members,
        "GET /account/tokens": .members,
        "GET /account": .members,
        "POST /account/totp": .members,
        "POST /account/totp/enable": .members,
        "POST /account/totp/disable": .members,
        "GET /admin/audit": forumWide,
        "POST /account/tokens": .members,
        "POST /account/tokens/:token/revoke": .members,
        "GET /teams/:team": .members,
        "GET /teams/:team/edit": teamEditors,
        "GET /teams/:team/rfc2350.txt": .members,
        "GET /teams/:team/contacts.vcf": .members,
        "POST /teams/:team/edit": teamEditors,
        "GET /economies/:economy": .members,
        "POST /teams/:team/contacts": teamEditors,
        "POST /teams/:team/contacts/:contact/verify": teamEditors,
        "POST /teams/:team/contacts/:contact/delete": teamEditors,
        "POST /teams/:team/constituency": teamEditors,
        "POST /teams/:team/constituency/delete": teamEditors,
        "GET /admin/teams/new": forumWide,
        "POST /admin/teams/new": forumWide,
        "GET /static/concord.css": .everyone,
        "GET /static/drill-board.js": .everyone,
        "GET /static/countdown.js": .everyone,
        "GET /drills": .members,
        "GET /drills/scenarios": forumWide,
        "POST /drills/scenarios": forumWide,
        "POST /drills": forumWide,
        "GET /drills/:drill": .members,
        "GET /drills/:drill/board/events": .members,
        "POST /drills/:drill/respond": .members,
        "POST /drills/:drill/control": .members,
        "GET /drills/:drill/report": .members,
        "GET /drills/:drill/report.json": .members,
        "GET /drills/:drill/report.csv": .members,
        "GET /drills/:drill/files/:name": .members,
        // The token in the path is the authority; an unknown one is 404 for everybody.
        "GET /checks/:token": .everyone,
        "POST /checks/:token": .everyone,
        "GET /incidents": .members,
        "GET /incidents/new": reporters,
        "POST /incidents/new": reporters,
        "GET /incidents/:incident": .members,
        "POST /incidents/:incident/assignments/:team": singcertWorkers,
        "POST /incidents/:incident/comments": singcertContributors,
        "POST /incidents/:incident/close": singcertWorkers,
        "POST /incidents/:incident/duplicate-of": singcertWorkers,
        "POST /incidents/:incident/routing": forumWide,
        "POST /incidents/:incident/attachments": singcertContributors,
        "GET /incidents/:incident/attachments/:attachment": .members,
        "GET /sharing": .members,
        "GET /sensors": .members,
        "GET /sensors/dashboard": .members,
        "GET /sensors/alerts": .members,
        "GET /sensors/ports/:protocol/:port": .members,
        "GET /sensors/export/:file": .members,
        "GET /sensors/charts/traffic.svg": .members,
        "GET /sensors/charts/sources.svg": .members,
        "GET /sensors/charts/top-ports.svg": .members,
        "GET /sensors/charts/ports/:protocol/:port": .members,
        // The token in the path is the authority; an unknown one is 404 for everybody.
        "GET /ack/:token": .everyone,
        "POST /ack/:token": .everyone,
    ]

    @Test func everyRouteHasAnExpectation() async throws {
        try await withApp { app in
            let registered = Set(app.routes.all.map(Self.key))
            let missing = registered.subtracting(Self.expectations.keys)
            let stale = Set(Self.expectations.keys).subtracting(registered)
            #expect(missing.isEmpty, "routes without an authorization expectation: \(missing.sorted())")
            #expect(stale.isEmpty, "expectations for routes that do not exist: \(stale.sorted())")
        }
    }

    /// Routes whose answer GnuPG makes (the forum's public key): on a machine without gpg they are
    /// skipped with the reason, not failed (`TestTool`).
    static let routesNeedingGnuPG: Set<String> = ["GET /api/v1/forum-key"]

    @Test(arguments: expectations.keys.sorted().filter { !routesNeedingGnuPG.contains($0) })
    func routeAsEveryActor(route: String) async throws {
        try await Self.exercise(route)
    }

    @Test(.needs(.gpg), arguments: routesNeedingGnuPG.sorted())
    func routeNeedingGnuPGAsEveryActor(route: String) async throws {
        try await Self.exercise(route)
    }

    /// Sends the route as every actor and checks each answer against the route's expectation.
    static func exercise(_ route: String) async throws {
        try await withApp { app in
            // setup
            let forum = try await TestForum.seed(app)
            let allowed = Self.expectations[route] ?? .only([])
            let parts = route.split(separator: " ", maxSplits: 1)
            let method = HTTPMethod(rawValue: String(parts[0]))
            let named = String(parts[1])
                .replacingOccurrences(of: ":economy", with: "SG")
                .replacingOccurrences(of: ":category", with: "general")
                .replacingOccurrences(of: ":incident", with: forum.incidentNumber)
                .replacingOccurrences(of: ":team", with: "singcert")
                .replacingOccurrences(of: ":contact", with: forum.singcertContactID.uuidString)
                .replacingOccurrences(of: ":attachment", with: UUID().uuidString)
                .replacingOccurrences(of: ":import", with: UUID().uuidString)
                .replacingOccurrences(
                    of: ":protocol/:port", with: parts[1].contains("/charts/") ? "tcp/23.svg" : "tcp/23"
                )
                .replacingOccurrences(of: ":file", with: "prefixes.csv")
                .replacingOccurrences(of: ":collection", with: SharingCollections.forumID.uuidString.lowercased())
                .replacingOccurrences(of: ":object", with: "indicator--\(UUID().uuidString.lowercased())")
                .replacingOccurrences(of: ":status", with: UUID().uuidString)
            // Ids that name nothing: these routes answer 404 to everyone allowed past the door.
            let unnamed = [
                ":scenario", ":drill", ":action", ":name", ":check", ":challenge", ":user", ":year", ":number",
                ":meeting",
                ":motion", ":vote", ":election",
            ]
            let path = unnamed.reduce(named) {
                $0.replacingOccurrences(of: $1, with: UUID().uuidString)
            }
            // Disallowed actors first, so that an allowed DELETE cannot hide a later refusal.
            let ordered = Actor.allCases.sorted { Self.permits(allowed, $0) ? false : Self.permits(allowed, $1) }
            let isAPI = path.hasPrefix("/api/") || path == "/metrics" || path.hasPrefix("/taxii2")
            for actor in ordered {
                // act
                let response = try await Self.send(method, path, as: actor, api: isAPI, forum: forum, app: app)
                let status = response.status
                let location = response.headers.first(name: .location) ?? ""
                let type = response.headers.first(name: .contentType) ?? ""
                let isProblem = type.contains(path.hasPrefix("/taxii2") ? "application/taxii+json" : "problem+json")
                // validate
                Self.check(
                    route, actor: actor, allowed: allowed, api: isAPI, status: status, location: location,
                    isProblem: isProblem)
            }
        }
    }

    /// The expected answer: allowed actors never get 401/403/5xx; anonymous web visitors are sent to
    /// /login; everyone else gets 401 (anonymous) or 403, as problem+json on the API.
    static func check(
        _ route: String, actor: Actor, allowed: Allowed, api: Bool, status: HTTPResponseStatus,
        location: String, isProblem: Bool
    ) {
        if permits(allowed, actor) {
            #expect(
                status != .unauthorized && status != .forbidden && status.code < 500,
                "\(route) as \(actor.rawValue) answered \(status.code)")
        } else if actor == .anonymous && !api {
            #expect(
                status == .seeOther && location.hasPrefix("/login"), "\(route) as anonymous answered \(status.code)")
        } else {
            #expect(
                status == (actor == .anonymous ? .unauthorized : .forbidden),
                "\(route) as \(actor.rawValue) answered \(status.code)")
            #expect(!api || isProblem, "\(route): errors on the API are problem+json (TAXII's own format on /taxii2)")
        }
    }

    /// API routes with the actor's bearer token; web routes in the actor's logged-in session.
    static func send(
        _ method: HTTPMethod, _ path: String, as actor: Actor, api: Bool, forum: TestForum,
        app: Application
    ) async throws -> TestingHTTPResponse {
        if api { return try await app.testing().send(method, path, headers: forum.headers(actor)) }
        return try await WebSession.start(app, as: actor).send(method, path, form: [:], app: app)
    }

    static func permits(_ allowed: Allowed, _ actor: Actor) -> Bool {
        switch allowed {
        case .everyone: return true
        case .members: return actor != .anonymous
        case .only(let actors): return actors.contains(actor)
        }
    }

    static func key(_ route: Route) -> String {
        "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
    }
}
