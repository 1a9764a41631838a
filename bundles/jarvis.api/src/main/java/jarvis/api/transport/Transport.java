package jarvis.api.transport;

import java.util.concurrent.CompletionStage;

import jarvis.api.Endpoint;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Moves opaque frames between endpoints of one scheme. Implementations are DS services carrying
 * the {@value #SCHEME_PROPERTY} service property; they never see keys or plaintext.
 */
@ConsumerType
public interface Transport {

    /** Service property naming the scheme a transport serves, e.g. {@code tcp}. */
    String SCHEME_PROPERTY = "transport.scheme";

    /**
     * Service property with the endpoint the transport is configured to listen on (for example
     * {@code tcp://0.0.0.0:5000}); the session core calls {@link #listen} with it. Absent when the
     * transport only dials.
     */
    String LISTEN_PROPERTY = "transport.listen";

    /** The endpoint scheme this transport serves. */
    String scheme();

    /**
     * Starts accepting links on a local endpoint.
     *
     * @param local    the address to bind (port 0 picks a free port where the transport allows it)
     * @param acceptor told of every inbound link
     * @return a handle naming the endpoint actually bound; closing it stops accepting
     * @throws TransportException if the endpoint cannot be bound
     */
    Listening listen(Endpoint local, LinkAcceptor acceptor) throws TransportException;

    /**
     * Opens a link to a remote endpoint.
     *
     * @param remote   where to connect; its scheme must be {@link #scheme()}
     * @param receiver receives the link's frames and its closing
     * @return completes with the open link, or exceptionally with a {@link TransportException}
     *         (refused, timed out, unreachable)
     */
    CompletionStage<Link> dial(Endpoint remote, FrameReceiver receiver);

    /** The largest frame this transport carries after authentication, in bytes. */
    int maxFrameSize();
}
