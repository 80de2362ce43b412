import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ConcordServer

/// The views' links against the routes: every link, form and asset a page points to names a
/// registered route with that method, and every page a link opens answers without an error. The
/// templates write their addresses as text, so this is what keeps them and `Paths` in step.
@Suite struct PageLinkTests {
    @Test(arguments: [Actor.secretariat, .teamAdmin, .handler])
    func everyLinkOnEveryReachablePageNamesARoute(as actor: Actor) async throws {
        try await withApp { app in
            // setup
            _ = try await TestForum.seed(app)
            let session = try await WebSession.start(app, as: actor)
            let routes = app.routes.all.map { (method: $0.method, path: $0.path) }
            // act: follow every same-site GET link from the home page
            var queue = ["/"]
            var visited = Set<String>()
            var broken: [String] = []
            var unrouted: [String] = []
            while let path = queue.popLast(), visited.count < 300 {
                guard visited.insert(path).inserted else { continue }
                let page = try await session.send(.GET, path, form: [:], app: app)
                guard page.status == .ok || page.status == .seeOther else {
                    broken.append("\(path) → \(page.status.code)")
                    continue
                }
                guard page.headers.contentType?.subType == "html" else { continue }
                for link in Self.links(in: String(buffer: page.body)) {
                    guard Self.matches(link, routes) else {
                        unrouted.append("\(link.method) \(link.path) (on \(path))")
                        continue
                    }
                    if link.method == .GET && !visited.contains(link.path) { queue.append(link.path) }
                }
            }
            // validate
            #expect(visited.count > 5, "the crawl reached \(visited.sorted())")
            if actor != .secretariat {  // the seeded incident is SingCERT's and NUSCERT's
                #expect(visited.contains { $0.hasPrefix("/\(Paths.incidents)/INC-") }, "an incident page was reached")
            }
            #expect(broken.isEmpty, "links that open an error: \(broken)")
            #expect(unrouted.isEmpty, "links that name no route: \(unrouted)")
        }
    }

    @Test func theCheckRefusesALinkThatNamesNoRoute() async throws {
        try await withApp { app in
            let routes = app.routes.all.map { (method: $0.method, path: $0.path) }
            let links = Self.links(
                in: #"<a href="/teams/singcert">t</a><form method="post" action="/teams/singcert/nowhere"></form>"#)
            #expect(links.map(\.path) == ["/teams/singcert", "/teams/singcert/nowhere"])
            #expect(Self.matches(links[0], routes))
            #expect(!Self.matches(links[1], routes))
            #expect(!Self.matches(.init(method: .POST, path: "/teams/singcert"), routes))
        }
    }

    struct Link: Sendable {
        let method: HTTPMethod
        let path: String
    }

    /// The same-site addresses of a page's `href`, `src` and form `action`s, without query or fragment.
    static func links(in html: String) -> [Link] {
        var links: [Link] = []
        let pattern = #/<(a|link|script|img|form)\b([^>]*)>/#
        for match in html.matches(of: pattern) {
            let tag = String(match.output.1)
            let attributes = String(match.output.2)
            let name = tag == "form" ? "action" : (tag == "script" || tag == "img" ? "src" : "href")
            guard let value = attribute(name, in: attributes), value.hasPrefix("/"), !value.hasPrefix("//") else {
                continue
            }
            let path = String(value.prefix { $0 != "?" && $0 != "#" })
            let method: HTTPMethod =
                tag == "form" && attribute("method", in: attributes)?.lowercased() == "post" ? .POST : .GET
            links.append(Link(method: method, path: path.removingPercentEncoding ?? path))
        }
        return links
    }

    static func attribute(_ name: String, in attributes: String) -> String? {
        guard let range = attributes.range(of: #"\b\#(name)=""#, options: .regularExpression) else { return nil }
        let rest = attributes[range.upperBound...]
        return rest.firstIndex(of: "\"").map {
            String(rest[..<$0]).replacingOccurrences(of: "&amp;", with: "&")
        }
    }

    /// Whether a registered route has this method and a path whose constants equal the link's segments.
    static func matches(_ link: Link, _ routes: [(method: HTTPMethod, path: [PathComponent])]) -> Bool {
        let segments = link.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return routes.contains { route in
            guard route.method == link.method else { return false }
            if route.path.last == .catchall { return segments.count >= route.path.count - 1 }
            guard route.path.count == segments.count else { return false }
            return zip(route.path, segments).allSatisfy { component, segment in
                switch component {
                case .constant(let text): text == segment
                case .parameter, .anything: !segment.isEmpty
                case .catchall: true
                }
            }
        }
    }
}
