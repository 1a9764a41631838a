package jarvis.api;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard listener for the contact list. Calls must not block. */
@ConsumerType
public interface ContactListener {

    void contactAdded(Contact contact);

    void contactChanged(Contact previous, Contact current);

    void contactRemoved(Contact contact);
}
