extension Paths {
    /// Acknowledgement links, the forum's public key and the teams' webhooks.
    enum Notifications {
        static let acknowledge = "ack"
        static let forumKey = "forum-key"
        static let webhook = "webhook"

        /// The acknowledgement link mailed with a notification.
        static func acknowledgeLink(publicURL: String, token: String) -> String {
            "\(publicURL)/\(acknowledge)/\(token)"
        }
    }
}
