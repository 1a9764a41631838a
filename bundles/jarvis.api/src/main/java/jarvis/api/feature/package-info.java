/**
 * Features: named sets of bundles that the distribution carries and that can be installed and
 * uninstalled while the daemon runs.
 */
@Export
@Version("1.0.0")
package jarvis.api.feature;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
