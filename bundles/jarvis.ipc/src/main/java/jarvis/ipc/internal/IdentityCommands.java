package jarvis.ipc.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jarvis.api.IdentitySummary;
import jarvis.api.account.AccountException;
import jarvis.api.account.AccountReport;
import jarvis.api.account.AccountService;
import jarvis.api.identity.IdentityException;
import jarvis.api.identity.IdentityService;
import jarvis.api.identity.IdentityStatus;
import jarvis.api.identity.UnlockedIdentity;

/**
 * The account commands. Passwords reach the identity service as the {@code char[]} the parser made,
 * which the service wipes; they are never logged or echoed.
 */
final class IdentityCommands {

    private final DaemonServices services;
    private final PeerCommands peers;

    IdentityCommands(DaemonServices services, PeerCommands peers) {
        this.services = services;
        this.peers = peers;
    }

    void register(CommandTable table) {
        table.add("create_identity", true, this::create)
                .add("login", true, this::unlock)
                .add("unlock", true, this::unlock)
                .add("logout", false, this::lock)
                .add("lock", false, this::lock)
                .add("get_identity", false, this::identity)
                .add("change_password", false, this::changePassword)
                .add("delete_account", false, this::delete)
                .add("export_account", false, this::export)
                .add("import_account", true, this::importAccount)
                .add("import_legacy", true, this::importLegacy);
    }

    private ObjectNode create(Request r) throws CommandFailure {
        IdentityService identity = services.identity();
        String username = r.text("username");
        char[] password = r.secret("password");
        return withIdentity(call(() -> identity.create(username, password)));
    }

    private ObjectNode unlock(Request r) throws CommandFailure {
        IdentityService identity = services.identity();
        char[] password = r.secret("password");
        return withIdentity(call(() -> identity.unlock(password)));
    }

    private ObjectNode lock(Request r) throws CommandFailure {
        services.identity().lock();
        return Views.object();
    }

    private ObjectNode identity(Request r) throws CommandFailure {
        UnlockedIdentity keys = services.identity().unlocked()
                .orElseThrow(() -> new CommandFailure("Identity is locked").with("locked", true));
        ObjectNode view = Views.identity(keys.summary()).put("public_key", Views.hex(keys.publicKey()));
        peers.listenPort().ifPresentOrElse(p -> view.put("listen_port", p), () -> view.putNull("listen_port"));
        ObjectNode result = Views.object();
        result.set("identity", view);
        return result;
    }

    private ObjectNode changePassword(Request r) throws CommandFailure {
        IdentityService identity = services.identity();
        char[] oldPassword = r.secret("old_password");
        char[] newPassword = r.secret("new_password");
        call(() -> {
            identity.changePassword(oldPassword, newPassword);
            return null;
        });
        return Views.object();
    }

    // The account commands go to the account service (identity, contacts, groups, history); a daemon without it
    // falls back to the identity service (the identity only).

    private ObjectNode delete(Request r) throws CommandFailure {
        IdentityService identity = services.identity();
        Optional<AccountService> accounts = services.accounts();
        char[] password = r.secret("password");
        if (accounts.isPresent()) {
            account(() -> {
                accounts.get().deleteAccount(password);
                return null;
            });
            return Views.object();
        }
        call(() -> {
            identity.delete(password);
            return null;
        });
        return Views.object();
    }

    private ObjectNode export(Request r) throws CommandFailure {
        IdentityService identity = services.identity();
        Optional<AccountService> accounts = services.accounts();
        Path target = absolutePath(r, "filepath");
        char[] password = r.secret("password");
        if (accounts.isPresent()) {
            AccountReport report = account(() -> accounts.get().exportAccount(target, password));
            return counts(Views.object().put("filepath", target.toString()), report);
        }
        call(() -> {
            identity.exportAccount(target, password);
            return null;
        });
        return Views.object().put("filepath", target.toString());
    }

    private ObjectNode importAccount(Request r) throws CommandFailure {
        IdentityService identity = services.identity();
        Optional<AccountService> accounts = services.accounts();
        Path source = absolutePath(r, "filepath");
        char[] password = r.secret("password");
        if (accounts.isPresent()) {
            AccountReport report = account(() -> accounts.get().importAccount(source, password));
            return counts(withIdentity(report.identity()), report);
        }
        return withIdentity(call(() -> identity.importAccount(source, password)));
    }

    private ObjectNode importLegacy(Request r) throws CommandFailure {
        IdentityService identity = services.identity();
        Optional<AccountService> accounts = services.accounts();
        Path source = absolutePath(r, "filepath");
        char[] password = r.secret("password");
        if (accounts.isPresent()) {
            AccountReport report = account(() -> accounts.get().importLegacy(source, password));
            return counts(withIdentity(report.identity()), report);
        }
        return withIdentity(call(() -> identity.importLegacy(source, password)));
    }

    private static ObjectNode counts(ObjectNode result, AccountReport report) {
        return result.put("contacts", report.contacts()).put("groups", report.groups())
                .put("messages", report.messages());
    }

    @FunctionalInterface
    private interface AccountCall<T> {
        T run() throws AccountException;
    }

    private static <T> T account(AccountCall<T> call) throws CommandFailure {
        try {
            return call.run();
        } catch (AccountException e) {
            CommandFailure f = new CommandFailure(e.getMessage()).with("reason", e.reason().name());
            if (e.reason() == AccountException.Reason.NO_IDENTITY) {
                f.with("needs_creation", true);
            }
            if (e.reason() == AccountException.Reason.LOCKED) {
                f.with("locked", true);
            }
            throw f;
        }
    }

    /** The identity part of {@code status}: state, and what is known about the account. */
    static ObjectNode status(IdentityStatus status) {
        ObjectNode o = Views.object().put("state", status.state().name().toLowerCase(java.util.Locale.ROOT));
        status.summary().ifPresent(s -> o.put("uid", s.uid()).put("username", s.username())
                .put("fingerprint", s.fingerprint()).put("created_at", s.createdAt().toString()));
        return o;
    }

    // The daemon's working directory means nothing to the client, so relative paths are refused.
    private static Path absolutePath(Request r, String name) throws CommandFailure {
        String text = r.text(name);
        Path path;
        try {
            path = Paths.get(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw CommandFailure.invalid(name, e.getReason());
        }
        if (!path.isAbsolute()) {
            throw CommandFailure.invalid(name, "must be an absolute path");
        }
        return path.normalize();
    }

    private ObjectNode withIdentity(IdentitySummary summary) {
        ObjectNode view = Views.identity(summary);
        peers.listenPort().ifPresentOrElse(p -> view.put("listen_port", p), () -> view.putNull("listen_port"));
        ObjectNode result = Views.object();
        result.set("identity", view);
        return result;
    }

    @FunctionalInterface
    private interface IdentityCall<T> {
        T run() throws IdentityException;
    }

    private static <T> T call(IdentityCall<T> call) throws CommandFailure {
        try {
            return call.run();
        } catch (IdentityException e) {
            CommandFailure f = new CommandFailure(e.getMessage()).with("reason", e.reason().name());
            if (e.reason() == IdentityException.Reason.NO_IDENTITY) {
                f.with("needs_creation", true);
            }
            throw f;
        }
    }
}
