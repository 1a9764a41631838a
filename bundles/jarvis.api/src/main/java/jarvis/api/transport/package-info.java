/**
 * The transport SPI. A transport moves opaque frames between endpoints and nothing else: it never
 * sees keys or plaintext, and never encrypts or authenticates. Each transport is a service with a
 * {@value jarvis.api.transport.Transport#SCHEME_PROPERTY} property; the session core binds all of them.
 */
@Export
@Version("1.0.0")
package jarvis.api.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
