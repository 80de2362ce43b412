import Vapor

extension Request {
    /// The page's one-time message under `key`, taken out of the session (shown once, after a redirect).
    func takeFlash(_ key: String) -> String? {
        let flash = session.data[key]
        if flash != nil { session.data[key] = nil }
        return flash
    }
}

extension ConcordError {
    /// The refusal as a form shows it: each field's problem, or the whole detail on no field.
    var formFields: [FieldError] {
        fields.isEmpty ? [FieldError(field: "", detail: detail)] : fields
    }
}
