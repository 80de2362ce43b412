import Foundation
import Testing
import Vapor

@testable import ConcordServer

/// Every JSON API route is in the OpenAPI document with its method, and the document names no route
/// that does not exist.
@Suite struct OpenAPIDocumentTests {
    @Test func documentCoversEveryAPIRoute() async throws {
        try await withApp { app in
            // setup
            let yaml = String(buffer: try await app.testing().send(.GET, "/api/v1/openapi.yaml").body)
            var documented = Set<String>()
            var currentPath = ""
            for line in yaml.split(separator: "\n") {
                if line.hasPrefix("  /"), line.hasSuffix(":") { currentPath = String(line.dropFirst(2).dropLast()) }
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("    "), !line.hasPrefix("     "),
                    let method = ["get", "post", "put", "patch", "delete"].first(where: { trimmed == "\($0):" })
                {
                    documented.insert("\(method.uppercased()) \(currentPath)")
                }
            }
            // act
            let routes = Set(
                app.routes.all.compactMap { route -> String? in
                    let parts = route.path.map(\.description)
                    guard parts.starts(with: ["api", "v1"]) else { return nil }
                    let path =
                        "/"
                        + parts.dropFirst(2).map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : $0 }.joined(
                            separator: "/")
                    return "\(route.method.rawValue) \(path)"
                })
            // validate
            #expect(routes.subtracting(documented).isEmpty, "undocumented: \(routes.subtracting(documented).sorted())")
            #expect(
                documented.subtracting(routes).isEmpty,
                "documented but missing: \(documented.subtracting(routes).sorted())")
            #expect(routes.count >= 25)
        }
    }
}
