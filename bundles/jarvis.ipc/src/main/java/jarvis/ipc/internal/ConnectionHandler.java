package jarvis.ipc.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

/**
 * The per-connection dispatcher, after the line splitter: admits the client with {@code hello} (and
 * the token over TCP), answers what needs no service on the event loop, and hands every other
 * command to the worker executor, so nothing that blocks ever runs on the event loop. Responses are
 * written as they complete, in any order; their ids tell the client which request each answers.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(ConnectionHandler.class.getName());

    /** What the handler needs from the server; one instance is shared by every connection. */
    record Context(IpcSettings settings, byte[] token, RequestParser parser, CommandTable commands,
            Executor workers, ClientRegistry clients) {
    }

    private final Context server;
    private final ClientConnection client;
    private ScheduledFuture<?> helloTimeout;

    ConnectionHandler(Context server, ClientConnection client) {
        this.server = server;
        this.client = client;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!server.clients().add(client, server.settings().maxClients())) {
            LOG.log(System.Logger.Level.WARNING, "IPC client refused: " + server.settings().maxClients()
                    + " clients attached (max.clients)");
            client.refuse(Protocol.encode(Protocol.error(null, "Too many clients")));
            return;
        }
        int seconds = server.settings().helloTimeoutSeconds();
        helloTimeout = ctx.executor().schedule(() -> {
            if (!client.authenticated()) {
                client.refuse(Protocol.encode(Protocol.error(null, "No hello within " + seconds + " s")));
            }
        }, seconds, TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (helloTimeout != null) {
            helloTimeout.cancel(false);
        }
        server.clients().remove(client);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf line = (ByteBuf) msg;
        byte[] bytes;
        try {
            bytes = ByteBufUtil.getBytes(line);
            // The line may hold a password: zero the copy Netty keeps before the buffer goes back to its pool.
            line.setZero(line.readerIndex(), line.readableBytes());
        } finally {
            line.release();
        }
        if (client.closing()) {
            return;
        }
        Request request;
        try {
            request = server.parser().parse(bytes);
        } catch (RequestParser.Malformed e) {
            answer(Protocol.error(e.id, e.getMessage()));
            return;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        if (!client.authenticated()) {
            hello(request);
            return;
        }
        dispatch(request);
    }

    private void hello(Request request) {
        try {
            if (!"hello".equals(request.command())) {
                client.refuse(Protocol.encode(Protocol.error(request.id(), "Expected hello first")));
                return;
            }
            JsonNode version = request.params().get("version");
            if (version != null && !version.isNull() && !(version.canConvertToInt() && version.intValue() == Protocol.VERSION)) {
                client.refuse(Protocol.encode(Protocol.error(request.id(),
                        "Unsupported protocol version: " + version + " (supported: [" + Protocol.VERSION + "])")));
                return;
            }
            if (client.tokenRequired() && !tokenMatches(request.params().get("token"))) {
                LOG.log(System.Logger.Level.WARNING, "IPC client " + client.describe()
                        + " refused: missing or wrong token");
                client.refuse(Protocol.encode(Protocol.error(request.id(), "Invalid token")));
                return;
            }
            client.authenticate();
            if (helloTimeout != null) {
                helloTimeout.cancel(false);
            }
            answer(helloResponse(request));
        } finally {
            request.wipe();
        }
    }

    private boolean tokenMatches(JsonNode given) {
        if (given == null || !given.isTextual()) {
            return false;
        }
        // Constant time, so the token cannot be guessed a byte at a time.
        return MessageDigest.isEqual(server.token(), given.textValue().getBytes(StandardCharsets.US_ASCII));
    }

    private static ObjectNode helloResponse(Request request) {
        ObjectNode response = Protocol.success(request.id()).put("server", Protocol.SERVER)
                .put("version", Protocol.VERSION);
        response.putArray("protocol").add(Protocol.VERSION);
        return response;
    }

    private void dispatch(Request request) {
        if ("hello".equals(request.command())) {
            request.wipe();
            answer(helloResponse(request));
            return;
        }
        CommandTable.Command command = server.commands().find(request.command());
        if (command == null) {
            request.wipe();
            answer(Protocol.error(request.id(), "Unknown command: " + request.command()));
            return;
        }
        if (client.inFlight.incrementAndGet() > IpcSettings.MAX_IN_FLIGHT_PER_CLIENT) {
            client.inFlight.decrementAndGet();
            request.wipe();
            answer(Protocol.error(request.id(), "Too many requests in progress (at most "
                    + IpcSettings.MAX_IN_FLIGHT_PER_CLIENT + " per client)"));
            return;
        }
        try {
            server.workers().execute(() -> {
                ObjectNode response;
                try {
                    response = server.commands().run(command, request);
                } finally {
                    request.wipe();
                    client.inFlight.decrementAndGet();
                }
                client.send(Protocol.encode(response), command.afterResponse());
            });
        } catch (RejectedExecutionException e) {
            client.inFlight.decrementAndGet();
            request.wipe();
            answer(Protocol.error(request.id(), "The daemon is busy or stopping; try again"));
        }
    }

    private void answer(ObjectNode response) {
        client.send(Protocol.encode(response), null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            client.refuse(Protocol.encode(Protocol.error(null,
                    "Line too long (more than " + server.settings().maxLineBytes() + " bytes)")));
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "IPC connection " + client.describe() + " failed: " + cause);
        ctx.close();
    }
}
