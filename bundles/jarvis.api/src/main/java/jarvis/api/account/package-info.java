/**
 * The whole account as one portable file (identity, contacts, groups, message history), and the migration
 * of a Jarvis 1.x data directory. Formats in docs/storage.md ("Account file") and docs/migration.md.
 */
@Export
@Version("1.0.0")
package jarvis.api.account;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
