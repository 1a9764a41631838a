/**
 * One-to-one text messaging: sending with a durable outbox, history, unread counts, read receipts,
 * search and typing indicators. Received messages and delivery state changes are announced to
 * {@link jarvis.api.MessageListener} services; typing to {@link jarvis.api.messaging.TypingListener}s.
 */
@Export
@Version("1.1.0")
package jarvis.api.messaging;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
