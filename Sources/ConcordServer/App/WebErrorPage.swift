import Vapor

/// Errors on web pages: anonymous visitors go to the login page; everything else is a small HTML
/// page with the message (built without templates, so it renders even when they are broken).
enum WebErrorPage {
    static func response(for error: ConcordError, request: Request, status: HTTPResponseStatus? = nil) -> Response {
        if error.code == .unauthenticated {
            let next =
                request.url.path.addingPercentEncoding(
                    withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_"))) ?? "/"
            return request.redirect(to: Paths.Accounts.loginPage(next: next), redirectType: .normal)
        }
        let status = status ?? error.status
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(status.code) — Concord</title>
            <link rel="stylesheet" href="\(Paths.stylesheetURL)"></head><body><main class="page">
            <h1>\(status.code) \(escape(status.reasonPhrase))</h1><p class="error">\(escape(error.detail))</p>
            <p><a href="/">Back to the directory</a></p></main></body></html>
            """
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: html))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
