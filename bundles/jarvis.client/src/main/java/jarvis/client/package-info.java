/**
 * The client of the Jarvis daemon's local API, for user interfaces and scripts in their own process:
 * {@link jarvis.client.JarvisClient#connect(java.nio.file.Path)} finds the daemon of a data directory
 * (its Unix socket, else loopback TCP with the token file), and then requests, events and reconnects
 * are handled for the caller. Plain Java and Jackson; no OSGi needed. The protocol is in docs/ipc.md.
 */
@Export
@Version("1.0.0")
package jarvis.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
