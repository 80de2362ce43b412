extension Paths {
    /// Darknet sensors: registration and uploads, the network's figures, and the web pages and charts.
    enum Sensors {
        static let sensors = "sensors"
        static let uploads = "sensor-uploads"
        static let network = "sensor-network"
        static let overview = "overview"
        static let dashboard = "dashboard"
        static let alerts = "alerts"
        static let ports = "ports"
        static let export = "export"
        static let charts = "charts"
        static let trafficChart = "traffic.svg"
        static let sourcesChart = "sources.svg"
        static let topPortsChart = "top-ports.svg"

        /// The chart of one port's history, `/sensors/charts/ports/tcp/23.svg?…`.
        static func portChart(protocolName: String, port: Int, query: String) -> String {
            "/\(sensors)/\(charts)/\(ports)/\(protocolName)/\(port).svg?\(query)"
        }
    }
}
