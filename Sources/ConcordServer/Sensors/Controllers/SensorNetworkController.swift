import ConcordCore
import Fluent
import Vapor

/// `/api/v1/sensor-network/…`: the forum-wide views of the sensors for every member (overview,
/// a port's history, the sensors' health, surge alerts) and every table as CSV.
struct SensorNetworkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        typealias P = Paths.Sensors
        let network = routes.grouped(.constant(P.network))
        network.get(.constant(P.overview), use: overview)
        network.get(.constant(P.ports), ":protocol", ":port", use: port)
        network.get(.constant(P.sensors), use: sensors)
        network.get(.constant(P.alerts), use: alerts)
        network.get(.constant(P.export), ":file", use: export)
    }

    @Sendable func overview(req: Request) async throws -> TrafficOverviewDTO {
        try req.policy.require(.readSensorNetwork)
        let top = req.query[Int.self, at: "top"] ?? 20
        guard (1...1000).contains(top) else { throw ConcordError.invalid(field: "top", "between 1 and 1000") }
        return TrafficOverviewDTO(
            try await req.application.sensorOverviews.overview(
                try SensorNetwork.Span.from(
                    days: req.query[Int.self, at: "days"], until: req.query[String.self, at: "until"],
                    now: req.application.clock.now()), on: req.db), top: top)
    }

    @Sendable func port(req: Request) async throws -> PortHistoryDTO {
        try req.policy.require(.readSensorNetwork)
        let service = try Self.service(req)
        return try await Self.history(
            of: service,
            span: try SensorNetwork.Span.from(
                days: req.query[Int.self, at: "days"], until: req.query[String.self, at: "until"],
                now: req.application.clock.now()), on: req.db, app: req.application)
    }

    @Sendable func sensors(req: Request) async throws -> [SensorHealth] {
        try req.policy.require(.readSensorNetwork)
        return try await Self.health(req)
    }

    @Sendable func alerts(req: Request) async throws -> [SurgeAlertDTO] {
        try req.policy.require(.readSensorNetwork)
        return try await SensorNetwork.alerts(since: nil, on: req.db)
    }

    /// `days.csv`, `services.csv`, … (`SensorExports.tables`); `audience=outside` for a file that
    /// leaves the forum.
    @Sendable func export(req: Request) async throws -> Response {
        try req.policy.require(.readSensorNetwork)
        let file = req.parameters.get("file") ?? ""
        let table = file.hasSuffix(".csv") ? String(file.dropLast(4)) : file
        guard SensorExports.tables.contains(table) else {
            throw ConcordError(.notFound, "no such table; there are \(SensorExports.tables.joined(separator: ", "))")
        }
        let audienceText = req.query[String.self, at: "audience"] ?? "forum"
        guard let audience = SensorExports.Audience(rawValue: audienceText) else {
            throw ConcordError.invalid(field: "audience", "forum or outside")
        }
        let span = try SensorNetwork.Span.from(
            days: req.query[Int.self, at: "days"], until: req.query[String.self, at: "until"],
            now: req.application.clock.now())
        let overview = try await req.application.sensorOverviews.overview(span, on: req.db)
        let since = Date(timeIntervalSince1970: TimeInterval(span.firstDay))
        let secret = req.application.serverSecret
        let csv =
            SensorExports.csv(
                table, overview: overview, alerts: try await SensorNetwork.alerts(since: since, on: req.db),
                sensors: try await Self.health(req), audience: audience, pseudonym: secret.exportPseudonym) ?? ""
        let name = "concord-sensors-\(table)-\(SensorNetwork.dateText(span.firstDay))-\(span.dayCount)d"
        return DirectoryExchangeController.text(
            csv, type: "text/csv; charset=utf-8", filename: name + (audience == .outside ? "-outside" : "") + ".csv")
    }

    /// The service a port page or route names: `/ports/tcp/23`.
    static func service(_ req: Request) throws -> Service {
        guard let number = SensorTables.protocolNumber(req.parameters.get("protocol") ?? "") else {
            throw ConcordError(.notFound, "no such protocol: use tcp, udp, icmp, icmpv6 or a number")
        }
        guard let port = req.parameters.get("port").flatMap(UInt16.init) else {
            throw ConcordError(.notFound, "the port is a number from 0 to 65535")
        }
        return Service(ipProtocol: number, port: [6, 17, 1, 58].contains(number) ? port : 0)
    }

    static func history(of service: Service, span: SensorNetwork.Span, on db: any Database, app: Application)
        async throws -> PortHistoryDTO
    {
        let overview = try await app.sensorOverviews.overview(span, on: db)
        let alerts = try await SurgeAlert.query(on: db).filter(\.$ipProtocol == Int(service.ipProtocol))
            .filter(\.$port == Int(service.port)).sort(\.$bandStart, .descending).limit(200).all()
        let tally = overview.services[service] ?? TrafficTally()
        return PortHistoryDTO(
            service: service.description, protocolName: Service.protocolName(service.ipProtocol),
            port: Int(service.port), packets: tally.packets, sources: tally.sourceCount,
            sourcesEstimated: tally.sourcesEstimated, sourcesStandardError: tally.sources.standardError,
            days: overview.history(of: service).map { TrafficDayDTO(day: $0.day, tally: $0.tally) },
            alerts: alerts.map(SurgeAlertDTO.init))
    }

    /// Newest first; since `since` when given, else the latest 500.

    /// Every sensor's health; the darknet prefix only where the viewer may read the team's
    /// private data.
    static func health(_ req: Request) async throws -> [SensorHealth] {
        try await SensorNetwork.health(now: req.application.clock.now(), on: req.db).map { sensor in
            var shown = sensor
            if !req.policy.allows(.readTeamPrivate(team: sensor.teamID)) { shown.prefix = nil }
            return shown
        }
    }
}
