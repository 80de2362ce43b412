import Vapor

/// What `PUT /teams/{team}/webhook` takes.
struct WebhookInput: Content {
    var url: String
}

/// A team's webhook; `secret` only in the answer that created or rotated it.
struct WebhookDTO: Content {
    let url: String
    let secretVersion: Int
    let secret: String?
    let signature: String
}

/// The forum's public OpenPGP key, for members to verify notification signatures.
struct ForumKeyDTO: Content {
    let fingerprint: String
    let publicKey: String
}
