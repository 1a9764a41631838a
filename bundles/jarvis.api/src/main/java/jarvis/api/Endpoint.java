package jarvis.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a peer can be reached: a transport scheme, a host and a port, written {@code tcp://host:port}
 * ({@code tcp://[::1]:5000} for IPv6). Parsing is strict because endpoints arrive from link codes,
 * contact cards and peers.
 */
public record Endpoint(String scheme, String host, int port) {

    /** Longest accepted text form; a DNS name is at most 253 characters. */
    public static final int MAX_LENGTH = 300;

    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]{0,15}");
    // A DNS name or IPv4 literal, or an IPv6 literal (no zone ids: they are local to one machine).
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|[0-9A-Fa-f:.]{2,45}");

    public Endpoint {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        if (!SCHEME.matcher(scheme).matches()) {
            throw new IllegalArgumentException("invalid endpoint scheme: '" + scheme + "'");
        }
        if (host.isEmpty() || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("invalid endpoint host: '" + host + "'");
        }
        // Port 0 means "any free port" when binding; dialing it fails in the transport.
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("endpoint port out of range 0-65535: " + port);
        }
    }

    /** Convenience for the first transport. */
    public static Endpoint tcp(String host, int port) {
        return new Endpoint("tcp", host, port);
    }

    /**
     * Parses {@code scheme://host:port}.
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static Endpoint parse(String text) {
        Objects.requireNonNull(text, "endpoint");
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("endpoint longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid endpoint '" + text + "': " + e.getReason());
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("invalid endpoint '" + text + "': expected scheme://host:port");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("invalid endpoint '" + text + "': only scheme://host:port is allowed");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Endpoint(uri.getScheme().toLowerCase(Locale.ROOT), host, uri.getPort());
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return scheme + "://" + h + ":" + port;
    }
}
