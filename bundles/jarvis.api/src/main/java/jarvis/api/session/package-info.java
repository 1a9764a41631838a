/**
 * The peer network: authenticated sessions with contacts over whatever transports are present,
 * their health and status colours, and security events.
 */
@Export
@Version("1.0.0")
package jarvis.api.session;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
