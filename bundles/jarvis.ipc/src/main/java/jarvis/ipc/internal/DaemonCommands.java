package jarvis.ipc.internal;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jarvis.api.feature.Feature;
import jarvis.api.feature.FeatureException;
import jarvis.api.feature.FeatureService;
import jarvis.api.identity.IdentityService;
import jarvis.api.identity.IdentityState;
import jarvis.api.transport.Transport;

/** The daemon itself: ping, status, shutdown, features. */
final class DaemonCommands {

    private final DaemonServices services;
    private final String daemonVersion;
    private final Runnable shutdown;

    DaemonCommands(DaemonServices services, String daemonVersion, Runnable shutdown) {
        this.services = services;
        this.daemonVersion = daemonVersion;
        this.shutdown = shutdown;
    }

    void register(CommandTable table) {
        table.add("ping", true, r -> Views.object().put("message", "pong"))
                .add("status", true, r -> status())
                .add("shutdown", true, r -> Views.object().put("message", "Server shutting down"), shutdown)
                .add("get_features", false, r -> features())
                .add("install_feature", false, r -> withFeature(call(services.features(), r.text("name"), true)))
                .add("uninstall_feature", false, r -> withFeature(call(services.features(), r.text("name"), false)));
    }

    private ObjectNode status() {
        ObjectNode result = Views.object();
        result.putObject("daemon").put("name", Protocol.SERVER).put("version", daemonVersion)
                .put("protocol", Protocol.VERSION);
        IdentityService identity = services.identity.get();
        if (identity != null) {
            result.set("identity", IdentityCommands.status(identity.status()));
        } else {
            result.putObject("identity").put("state", "unavailable");
        }
        boolean unlocked = identity != null && identity.status().state() == IdentityState.UNLOCKED;
        result.put("locked", !unlocked);
        result.putObject("services").put("identity", identity != null)
                .put("contacts", services.contacts.get() != null).put("network", services.network.get() != null)
                .put("features", services.features.get() != null).put("messaging", services.messages.get() != null)
                .put("groups", services.groups.get() != null);
        ArrayNode transports = result.putArray("transports");
        for (Map<String, Object> p : services.transportProperties()) {
            transports.add(String.valueOf(p.get(Transport.SCHEME_PROPERTY)));
        }
        FeatureService features = services.features.get();
        if (features != null) {
            ArrayNode installed = result.putArray("features");
            features.features().stream().filter(Feature::installed).forEach(f -> installed.add(f.name()));
        } else {
            result.putNull("features");
        }
        return result;
    }

    private ObjectNode features() throws CommandFailure {
        ObjectNode result = Views.object();
        ArrayNode list = result.putArray("features");
        for (Feature f : services.features().features()) {
            list.add(Views.feature(f));
        }
        return result;
    }

    private static Feature call(FeatureService features, String name, boolean install) throws CommandFailure {
        try {
            return install ? features.install(name) : features.uninstall(name);
        } catch (FeatureException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    private static ObjectNode withFeature(Feature feature) {
        ObjectNode result = Views.object();
        result.set("feature", Views.feature(feature));
        return result;
    }
}
