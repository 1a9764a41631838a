/**
 * One-to-one text messaging: sending with a durable outbox, history, unread counts, read receipts,
 * search and typing indicators; {@link jarvis.api.messaging.MessageCarrier}s carry text to peers without
 * jarvis/2 (Jarvis 1.x). Received messages and delivery state changes are announced to
 * {@link jarvis.api.MessageListener} services; typing to {@link jarvis.api.messaging.TypingListener}s.
 */
@Export
@Version("1.2.0")
package jarvis.api.messaging;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
