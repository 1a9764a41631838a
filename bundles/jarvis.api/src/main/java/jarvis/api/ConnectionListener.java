package jarvis.api;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard listener: register as a service to hear about session state changes. */
@ConsumerType
public interface ConnectionListener {

    /** Called once for each change; must not block (it runs on the session core's thread). */
    void connectionChanged(String contactUid, ConnectionState previous, ConnectionState current);
}
