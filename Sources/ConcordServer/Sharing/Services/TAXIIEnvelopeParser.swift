import ConcordCore
import NIOCore

/// Reads a TAXII envelope's objects, each with the text it was sent as: from a request's body and
/// again from a stored envelope when another instance resumes storing it.
enum TAXIIEnvelopeParser {
    /// The objects of `body`; an empty body, a bundle, anything that is not strict JSON (a
    /// repeated key among them) or anything else is a 400.
    static func submissions(_ body: ByteBuffer?) throws -> [STIXIngest.Submission] {
        guard let body, body.readableBytes > 0 else {
            throw TAXIIError(status: .badRequest, description: "the body must be a TAXII envelope")
        }
        let envelope: JSONParser.Envelope
        do {
            envelope = try body.withUnsafeReadableBytes { bytes throws(JSONParser.Failure) in
                try JSONParser.envelope(bytes, listing: "objects")
            }
        } catch {
            throw TAXIIError(status: .badRequest, description: "the body is not a JSON envelope: \(error)")
        }
        if envelope.members["type"]?.string == "bundle" {
            throw TAXIIError(
                status: .badRequest, description: "send a TAXII envelope {\"objects\": [...]}, not a STIX bundle")
        }
        guard let objects = envelope.elements else {
            throw TAXIIError(status: .badRequest, description: "the envelope has no objects list")
        }
        return objects.map { STIXIngest.Submission(value: $0.value, text: $0.text) }
    }
}
