/** Helpers for components that consume services (kept here so every bundle does it the same way). */
@Export
@Version("1.0.0")
package jarvis.api.service;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
