/** The contact directory as the session core and other bundles read it. */
@Export
@Version("1.1.0")
package jarvis.api.contacts;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
