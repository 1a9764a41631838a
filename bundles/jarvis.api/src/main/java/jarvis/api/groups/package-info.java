/**
 * Group chats: membership kept in step by an invitation protocol between members, messages fanned out pairwise
 * (see {@link jarvis.api.messaging.MessageService#sendToGroup}). The protocol is in docs/protocol.md ("Group
 * protocol").
 */
@Export
@Version("1.0.0")
package jarvis.api.groups;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
