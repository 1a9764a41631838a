package jarvis.api.transport;

import jarvis.api.Endpoint;
import org.osgi.annotation.versioning.ProviderType;

/** A bound listening endpoint; closing it stops accepting (open links stay open). */
@ProviderType
public interface Listening extends AutoCloseable {

    /** The endpoint actually bound (with the real port when 0 was asked). */
    Endpoint endpoint();

    @Override
    void close();
}
