/**
 * The encrypted embedded store: one database per account, open only while the identity is
 * unlocked. Domain bundles keep their own tables in it and migrate them themselves.
 */
@Export
@Version("1.0.0")
package jarvis.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
