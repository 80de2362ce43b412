import Vapor

/// Errors on web pages: anonymous visitors go to the login page; everything else is a small HTML
/// page with the message (built without templates, so it renders even when they are broken).
enum WebErrorPage {
    static func response(for error: ConcordError, request: Request, status: HTTPResponseStatus? = nil) -> Response {
        if error.code == .unauthenticated {
            // The site's address leads to the desk after login; any other page back to itself.
            let path = request.url.path == "/" && request.url.query == nil ? Paths.deskPage : request.url.path
            let next =
                path.addingPercentEncoding(
                    withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_"))) ?? "/"
            return request.redirect(to: Paths.Accounts.loginPage(next: next), redirectType: .normal)
        }
        let status = status ?? error.status
        let back = backLink(for: request).map {
            #"<a id="back" href="\#(escape($0))">Back to the page you were on</a> · "#
        }
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(status.code) — Concord</title>
            <link rel="stylesheet" href="\(Paths.stylesheetURL)"></head><body>
            <a class="skip" href="#main">Skip to content</a><header class="bar"><a class="brand" href="/">Concord</a></header>
            <main class="page" id="main"><h1>\(status.code) \(escape(status.reasonPhrase))</h1>
            <p class="error" role="alert">\(escape(error.detail))</p>
            <p>\(back ?? "")<a href="/">The directory</a></p></main></body></html>
            """
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: html))
    }

    /// The page the browser came from (its `Referer`), as a path on this server, when it is one:
    /// a form refused by a POST leads back to the form. Another site's address is never linked.
    static func backLink(for request: Request) -> String? {
        guard let referer = request.headers.first(name: .referer), let url = URL(string: referer),
            let host = url.host, url.scheme == "http" || url.scheme == "https",
            host + (url.port.map { ":\($0)" } ?? "") == request.headers.first(name: .host),
            url.path.hasPrefix("/"), !url.path.hasPrefix("//"), url.path != request.url.path
        else { return nil }
        return url.query.map { url.path + "?" + $0 } ?? url.path
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
