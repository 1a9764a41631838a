package jarvis.api.session;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard: hears every {@link SecurityEvent}. Calls must not block. */
@ConsumerType
public interface SecurityListener {

    void securityEvent(SecurityEvent event);
}
