package jarvis.ipc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelFuture;

/** Every attached client: the cap on their number, event broadcast, and disconnect at stop. */
final class ClientRegistry {

    private final Set<ClientConnection> clients = ConcurrentHashMap.newKeySet();

    /** Adds a client unless {@code max} are attached already. */
    synchronized boolean add(ClientConnection client, int max) {
        if (clients.size() >= max) {
            return false;
        }
        return clients.add(client);
    }

    void remove(ClientConnection client) {
        clients.remove(client);
    }

    int size() {
        return clients.size();
    }

    /** Sends an event to every client past its hello; encoded once, queued per client without blocking. */
    void broadcast(ObjectNode event) {
        byte[] line = Protocol.encode(event);
        for (ClientConnection c : clients) {
            if (c.authenticated()) {
                c.send(line);
            }
        }
    }

    List<ChannelFuture> closeAll() {
        List<ChannelFuture> closing = new ArrayList<>();
        for (ClientConnection c : clients) {
            closing.add(c.channel().close());
        }
        return closing;
    }
}
