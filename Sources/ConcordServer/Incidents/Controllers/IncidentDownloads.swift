import Vapor

/// Serves an attachment's bytes as a download, whatever the uploader said it was, so that no
/// browser renders an attacker's HTML or script in Concord's origin. HTTP, shared by the API and
/// web controllers; which incident the caller may see is `IncidentQueries.visible`'s decision.
enum IncidentDownloads {
    /// The attachment named by the `:incident` and `:attachment` parameters, if the incident is visible.
    static func response(request: Request) async throws -> Response {
        let incident = try await IncidentQueries.visible(
            request.parameters.get("incident") ?? "", caller: request.caller)
        guard let id = request.parameters.get("attachment", as: UUID.self),
            let attachment = incident.attachments.first(where: { $0.id == id })
        else { throw ConcordError.notFound("attachment") }
        return try await response(for: attachment, request: request)
    }

    static func response(for attachment: IncidentAttachment, request: Request) async throws -> Response {
        let path = IncidentContributions.path(of: attachment, in: request.application.concord)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConcordError.notFound("the stored file of \(attachment.filename)")
        }
        var headers = HTTPHeaders()
        headers.contentType = .binary
        let safeName = attachment.filename.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && !$0.isNewline }
        headers.add(name: .contentDisposition, value: "attachment; filename=\"\(safeName)\"")
        headers.add(name: "X-Content-SHA256", value: attachment.sha256)
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
