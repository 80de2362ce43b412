import ConcordCore
import Fluent
import Vapor

/// The sensor network's web pages: the sensors and their health, the forum dashboard, a port's
/// history, the surge alerts, and the SVG charts they show (drawn by `SVGLineChart`).
struct SensorWebController: RouteCollection {
    struct ListPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let sensors: [SensorLine]
    }

    /// A sensor's health with its last seven days as a sparkline (hours per day against 24).
    struct SensorLine: Encodable {
        let sensor: SensorHealth
        let sparkline: String
        /// "24, 24, 23, 0, 24, 24, 12 hours", for the sparkline's text alternative.
        let sparklineText: String
    }

    struct DashboardPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let days: Int
        let overview: TrafficOverviewDTO
        let alerts: [SurgeAlertDTO]
        let query: String
        /// The UTC date of today when the span ends today: its figures are so far, not the day's.
        let partialDay: String?
    }

    struct PortPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let days: Int
        let history: PortHistoryDTO
        let query: String
        /// The charts' address without the measure.
        let chart: String
    }

    struct AlertsPage: Encodable {
        let viewer: WebViewer
        let csrf: String
        let alerts: [SurgeAlertDTO]
    }

    func boot(routes: any RoutesBuilder) throws {
        typealias P = Paths.Sensors
        let sensors = routes.grouped(.constant(P.sensors))
        sensors.get(use: list)
        sensors.get(.constant(P.dashboard), use: dashboard)
        sensors.get(.constant(P.alerts), use: alerts)
        sensors.get(.constant(P.ports), ":protocol", ":port", use: port)
        // The pages' CSV downloads, for a browser's session (the API's answer bearer tokens only).
        sensors.get(.constant(P.export), ":file", use: SensorNetworkController().export)
        let charts = sensors.grouped(.constant(P.charts))
        charts.get(.constant(P.trafficChart), use: trafficChart)
        charts.get(.constant(P.sourcesChart), use: sourcesChart)
        charts.get(.constant(P.topPortsChart), use: topPortsChart)
        charts.get(.constant(P.ports), ":protocol", ":port", use: portChart)
    }

    @Sendable func list(req: Request) async throws -> View {
        try req.policy.require(.readSensorNetwork)
        return try await req.view.render(
            "sensors",
            ListPage(
                viewer: try await req.webViewer(), csrf: req.csrfToken,
                sensors: try await SensorNetworkController.health(req).map { sensor in
                    SensorLine(
                        sensor: sensor, sparkline: SVGSparkline(values: sensor.hoursPerDay, maximum: 24).dataURL,
                        sparklineText: sensor.hoursPerDay.map(String.init).joined(separator: ", ") + " hours")
                }))
    }

    @Sendable func dashboard(req: Request) async throws -> View {
        try req.policy.require(.readSensorNetwork)
        let span = try SensorNetwork.Span.from(
            days: req.query[Int.self, at: "days"], until: req.query[String.self, at: "until"],
            now: req.application.clock.now())
        let overview = try await req.application.sensorOverviews.overview(span, on: req.db)
        let since = Date(timeIntervalSince1970: TimeInterval(span.firstDay))
        return try await req.view.render(
            "sensor-dashboard",
            DashboardPage(
                viewer: try await req.webViewer(), csrf: req.csrfToken, days: span.dayCount,
                overview: TrafficOverviewDTO(overview, top: 15),
                alerts: Array(try await SensorNetwork.alerts(since: since, on: req.db).prefix(10)),
                query: Self.spanQuery(span), partialDay: Self.partialDay(span, now: req.application.clock.now())))
    }

    /// Today's date when the span's last day is today (UTC), else nil.
    static func partialDay(_ span: SensorNetwork.Span, now: Date) -> String? {
        let today = TrafficOverview.dayStart(containing: Int64(now.timeIntervalSince1970))
        return span.firstDay + Int64(span.dayCount - 1) * 86_400 == today ? SensorNetwork.dateText(today) : nil
    }

    @Sendable func port(req: Request) async throws -> View {
        try req.policy.require(.readSensorNetwork)
        let span = try SensorNetwork.Span.from(
            days: req.query[Int.self, at: "days"], until: req.query[String.self, at: "until"],
            now: req.application.clock.now())
        let service = try SensorNetworkController.service(req)
        let history = try await SensorNetworkController.history(
            of: service, span: span, on: req.db, app: req.application)
        return try await req.view.render(
            "sensor-port",
            PortPage(
                viewer: try await req.webViewer(), csrf: req.csrfToken, days: span.dayCount, history: history,
                query: Self.spanQuery(span),
                chart: Paths.Sensors.portChart(
                    protocolName: history.protocolName, port: history.port, query: Self.spanQuery(span))))
    }

    @Sendable func alerts(req: Request) async throws -> View {
        try req.policy.require(.readSensorNetwork)
        return try await req.view.render(
            "sensor-alerts",
            AlertsPage(
                viewer: try await req.webViewer(), csrf: req.csrfToken,
                alerts: try await SensorNetwork.alerts(since: nil, on: req.db)))
    }

    @Sendable func trafficChart(req: Request) async throws -> Response {
        try req.policy.require(.readSensorNetwork)
        let now = req.application.clock.now()
        let span = try SensorNetwork.Span.from(
            days: req.query[Int.self, at: "days"], until: req.query[String.self, at: "until"], now: now)
        let overview = try await req.application.sensorOverviews.overview(span, on: req.db)
        return Self.svg(
            SVGLineChart(
                title: Self.chartTitle("Packets per day, all sensors", span, now: now), labels: Self.labels(overview),
                series: [.init(name: "packets", values: overview.days.map { Double($0.total.packets) })]))
    }

    @Sendable func sourcesChart(req: Request) async throws -> Response {
        try req.policy.require(.readSensorNetwork)
        let now = req.application.clock.now()
        let span = try SensorNetwork.Span.from(
            days: req.query[Int.self, at: "days"], until: req.query[String.self, at: "until"], now: now)
        let overview = try await req.application.sensorOverviews.overview(span, on: req.db)
        return Self.svg(
            SVGLineChart(
                title: Self.chartTitle("Distinct sources per day, all sensors", span, now: now),
                labels: Self.labels(overview),
                series: [.init(name: "distinct sources", values: overview.days.map { Double($0.total.sourceCount) })]
            ))
    }

    /// Distinct sources per day of the five services with the most distinct sources over the span.
    @Sendable func topPortsChart(req: Request) async throws -> Response {
        try req.policy.require(.readSensorNetwork)
        let now = req.application.clock.now()
        let span = try SensorNetwork.Span.from(
            days: req.query[Int.self, at: "days"], until: req.query[String.self, at: "until"], now: now)
        let overview = try await req.application.sensorOverviews.overview(span, on: req.db)
        let top = HourlyAggregate.topBySources(overview.services, 5).map(\.key)
        let since = Date(timeIntervalSince1970: TimeInterval(span.firstDay))
        let alerting = Set(try await SensorNetwork.alerts(since: since, on: req.db).map(\.service))
        return Self.svg(
            SVGLineChart(
                title: Self.chartTitle("Distinct sources per day, top ports", span, now: now),
                labels: Self.labels(overview),
                series: top.map { service in
                    .init(
                        name: service.description + (alerting.contains(service.description) ? " (surge alert)" : ""),
                        values: overview.history(of: service).map { Double($0.tally.sourceCount) })
                }))
    }

    /// `/sensors/charts/ports/tcp/23.svg?metric=sources|packets`: the port's distinct sources
    /// (default) or packets per day; one measure a chart, so that neither flattens the other.
    @Sendable func portChart(req: Request) async throws -> Response {
        try req.policy.require(.readSensorNetwork)
        let file = req.parameters.get("port") ?? ""
        guard file.hasSuffix(".svg") else { throw ConcordError(.notFound, "charts end in .svg") }
        req.parameters.set("port", to: String(file.dropLast(4)))
        let service = try SensorNetworkController.service(req)
        let metric = req.query[String.self, at: "metric"] ?? "sources"
        guard metric == "sources" || metric == "packets" else {
            throw ConcordError.invalid(field: "metric", "sources or packets")
        }
        let overview = try await req.application.sensorOverviews.overview(
            try SensorNetwork.Span.from(
                days: req.query[Int.self, at: "days"], until: req.query[String.self, at: "until"],
                now: req.application.clock.now()), on: req.db)
        let history = overview.history(of: service)
        let sources = metric == "sources"
        return Self.svg(
            SVGLineChart(
                title: "\(service): \(sources ? "distinct sources" : "packets") per day", labels: Self.labels(overview),
                series: [
                    .init(
                        name: sources ? "distinct sources" : "packets",
                        values: history.map { Double(sources ? $0.tally.sourceCount : $0.tally.packets) })
                ]))
    }

    /// A chart's title, saying so when its last day is today and so not over.
    static func chartTitle(_ title: String, _ span: SensorNetwork.Span, now: Date) -> String {
        partialDay(span, now: now).map { "\(title) (\($0.dropFirst(5)) is today: so far)" } ?? title
    }

    static func labels(_ overview: TrafficOverview) -> [String] {
        overview.days.map { String(SensorNetwork.dateText($0.start).dropFirst(5)) }
    }

    static func spanQuery(_ span: SensorNetwork.Span) -> String {
        "days=\(span.dayCount)&until=\(SensorNetwork.dateText(span.firstDay + Int64(span.dayCount - 1) * 86_400))"
    }

    static func svg(_ chart: SVGLineChart) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "image/svg+xml; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: chart.render()))
    }
}
