/**
 * The contracts every Jarvis bundle meets through: value records, service interfaces and the
 * whiteboard listener interfaces. No logic lives here, so implementations can be swapped at
 * runtime without refreshing their consumers.
 */
@Export
@Version("1.2.0")
package jarvis.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
