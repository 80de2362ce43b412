import Prometheus
import Vapor

/// Counts requests by route pattern, method and status class, and times them, into the
/// application's Prometheus registry. The route pattern (`/api/v1/teams/:team`) is used, never the
/// concrete path, so identifiers and lookup values do not end up in metric labels.
struct MetricsMiddleware: AsyncMiddleware {
    let registry: PrometheusCollectorRegistry

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            record(request, status: 500, since: start)
            throw error
        }
        record(request, status: response.status.code, since: start)
        return response
    }

    /// `concord_http_requests_total`.
    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "concord", subsystem: "http", metricName: "requests", unitName: "total",
            helpText: "Requests answered, by method, route and status class.")
    }
    /// `concord_http_request_duration_seconds`.
    private static var duration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "concord", subsystem: "http", metricName: "request_duration", unitName: "seconds",
            helpText: "Time to answer, by route.")
    }

    private func record(_ request: Request, status: UInt, since start: ContinuousClock.Instant) {
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        let labels = [("method", request.method.rawValue), ("route", route), ("status", "\(status / 100)xx")]
        registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
        registry.makeDurationHistogram(
            descriptor: Self.duration, labels: [("route", route)],
            buckets: [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2)]
        ).record(ContinuousClock.now - start)
    }
}

extension Application {
    private struct MetricsRegistryKey: StorageKey { typealias Value = PrometheusCollectorRegistry }

    /// This application's Prometheus registry (one per application, so tests do not share counters).
    var metricsRegistry: PrometheusCollectorRegistry {
        if let registry = storage[MetricsRegistryKey.self] { return registry }
        let registry = PrometheusCollectorRegistry()
        storage[MetricsRegistryKey.self] = registry
        return registry
    }
}
