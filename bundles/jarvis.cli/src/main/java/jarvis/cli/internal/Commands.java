package jarvis.cli.internal;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The subcommands. Each returns the exit code; failures are thrown as {@link CliException}. */
public final class Commands {

    /** One-line summary per command, for the usage text. */
    public static final String USAGE = """
            Usage: jarvis [--data-dir DIR] [--json] [--timeout SECONDS] COMMAND [ARGS]

              jarvis daemon start | stop | status     run, stop or probe the background daemon
              jarvis init --username NAME [--port PORT [--host ADDR] [--advertise tcp://HOST:PORT]]
                                                      create the identity (password from the terminal or stdin)
              jarvis unlock | lock                    unlock the identity (password as for init) or lock it
              jarvis status                           daemon, identity, transports and features
              jarvis contacts                         the contact list with connection states
              jarvis link                             print our link code, to give to a contact
              jarvis add LINK-CODE                    add a contact from its link code
              jarvis verify CONTACT [--fingerprint HEX | --yes]
                                                      mark a contact verified after comparing fingerprints
              jarvis send CONTACT TEXT...             send a message ('-' reads the text from stdin)
              jarvis history CONTACT [--limit N] [--mark-read]
                                                      the conversation, oldest first
              jarvis export-account FILE              write identity, contacts, groups and history to a new
                                                      file encrypted under the account password
              jarvis import-account FILE              restore such a file into a daemon without an identity
              jarvis import-legacy DIR                migrate a Jarvis 1.x data directory (password as for init)

            CONTACT is a uid or a user name. Exit codes: 0 ok, 1 error, 2 usage, 3 daemon not running,
            4 identity locked or not created, 5 contact not found, 6 wrong password. See docs/cli.md.
            `jarvis` without a command opens the terminal UI (starting the daemon first if none runs);
            without a terminal, or with --json, it shows the status and this text instead.
            """;

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final Duration PORT_WAIT = Duration.ofSeconds(15);

    private final Args args;
    private final Output out;
    private final Path install;
    private final DaemonControl daemon;
    private final Duration timeout;
    private final Console console;
    private final InputStream stdin;

    public Commands(Args args, Output out, Path install, Path dataDir, Duration timeout, Console console,
            InputStream stdin) {
        this.args = args;
        this.out = out;
        this.install = install;
        this.daemon = new DaemonControl(install, dataDir);
        this.timeout = timeout;
        this.console = console;
        this.stdin = stdin;
    }

    public int run() throws CliException {
        List<String> w = args.words();
        if (w.isEmpty()) {
            // On a terminal, the interactive UI; for scripts (--json, or no terminal) the status overview.
            return args.flag("json") || console == null ? overview() : terminalUi();
        }
        String command = w.get(0);
        List<String> rest = w.subList(1, w.size());
        return switch (command) {
            case "daemon" -> daemonCommand(rest);
            case "init" -> init(rest);
            case "unlock" -> unlock(rest);
            case "lock" -> lock(rest);
            case "status" -> status(rest);
            case "contacts" -> contacts(rest);
            case "link" -> link(rest);
            case "add" -> add(rest);
            case "verify" -> verify(rest);
            case "send" -> send(rest);
            case "history" -> history(rest);
            case "export-account" -> exportAccount(rest);
            case "import-account" -> importAccount(rest);
            case "import-legacy" -> importLegacy(rest);
            case "help" -> {
                out.result(out.object().put("usage", USAGE), USAGE);
                yield ExitCode.OK;
            }
            default -> throw CliException.usage("unknown command: " + command);
        };
    }

    // --- no command on a terminal: the terminal UI ---

    /** The UI's entry point, on lib/cli beside this jar; looked up by name so the CLI builds and runs without it. */
    static final String TUI_MAIN = "jarvis.tui.Main";

    private int terminalUi() throws CliException {
        daemon.start(timeout);
        java.lang.reflect.Method run;
        try {
            run = Class.forName(TUI_MAIN).getMethod("run", Path.class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new CliException(ExitCode.ERROR, "the terminal UI is not installed (" + TUI_MAIN + " is not on "
                    + install.resolve("lib/cli") + ")", e);
        }
        try {
            return (Integer) run.invoke(null, daemon.dataDir());
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new CliException(ExitCode.ERROR, "terminal UI: " + cause.getMessage(), cause);
        } catch (IllegalAccessException e) {
            throw new CliException(ExitCode.ERROR, "terminal UI: " + e.getMessage(), e);
        }
    }

    // --- no command without a terminal: the status, then the usage ---

    private int overview() throws CliException {
        int code;
        ObjectNode status;
        String text;
        try (Ipc ipc = Ipc.connect(daemon.dataDir(), timeout)) {
            status = statusOf(ipc);
            text = statusText(status);
            code = ExitCode.OK;
        } catch (CliException e) {
            if (e.exitCode() != ExitCode.NOT_RUNNING) {
                throw e;
            }
            status = out.object();
            status.set("daemon", daemon.describe(out));
            text = "jarvisd: not running for " + daemon.dataDir();
            code = ExitCode.NOT_RUNNING;
        }
        status.put("usage", USAGE);
        out.result(status, text + "\n\n" + USAGE);
        return code;
    }

    // --- daemon start | stop | status ---

    private int daemonCommand(List<String> rest) throws CliException {
        args.allowOnly("daemon", Set.of());
        if (rest.size() != 1) {
            throw CliException.usage("daemon needs one of: start, stop, status");
        }
        switch (rest.get(0)) {
            case "start" -> {
                DaemonControl.Started s = daemon.start(timeout);
                ObjectNode r = out.object().put("started", !s.alreadyRunning()).put("already_running", s.alreadyRunning());
                putPid(r, s.pid());
                r.put("data_dir", daemon.dataDir().toString());
                out.result(r, s.alreadyRunning()
                        ? "jarvisd is already running" + pidText(s.pid()) + " for " + daemon.dataDir()
                        : "jarvisd started" + pidText(s.pid()) + " for " + daemon.dataDir() + " in " + s.millis() + " ms");
                return ExitCode.OK;
            }
            case "stop" -> {
                DaemonControl.Stopped s = daemon.stop(timeout);
                ObjectNode r = out.object().put("stopped", s.wasRunning()).put("was_running", s.wasRunning())
                        .put("signalled", s.signalled());
                putPid(r, s.pid());
                out.result(r, !s.wasRunning() ? "jarvisd is not running for " + daemon.dataDir()
                        : "jarvisd stopped" + pidText(s.pid()) + (s.signalled() ? " (after SIGTERM)" : ""));
                return ExitCode.OK;
            }
            case "status" -> {
                JsonNode d = daemon.describe(out);
                ObjectNode r = out.object();
                r.setAll((ObjectNode) d);
                String state = d.path("state").asText();
                String text = switch (state) {
                    case "running" -> "jarvisd is running" + pidText(daemon.livePid()) + " for " + daemon.dataDir();
                    case "not_answering" -> "jarvisd (pid " + d.path("pid").asLong() + ") is starting or does not answer"
                            + " on its IPC (is the jarvis-ipc feature installed?)";
                    default -> "jarvisd is not running for " + daemon.dataDir()
                            + (d.path("stale_pid_file").asBoolean() ? " (stale pid file: the last one did not stop cleanly)" : "");
                };
                out.result(r, text);
                return switch (state) {
                    case "running" -> ExitCode.OK;
                    case "not_answering" -> ExitCode.ERROR;
                    default -> ExitCode.NOT_RUNNING;
                };
            }
            default -> throw CliException.usage("daemon needs one of: start, stop, status (not " + rest.get(0) + ")");
        }
    }

    // --- identity ---

    private int init(List<String> rest) throws CliException {
        args.allowOnly("init", Set.of("username", "port", "host", "advertise"));
        noWords("init", rest);
        String username = args.option("username").orElseThrow(() -> CliException.usage("init needs --username NAME"));
        if (username.isBlank()) {
            throw CliException.usage("--username must not be empty");
        }
        var port = args.intOption("port", 1, 65535);
        if (port.isEmpty() && (args.option("host").isPresent() || args.option("advertise").isPresent())) {
            throw CliException.usage("--host and --advertise go with --port");
        }
        try (Ipc ipc = Ipc.connect(daemon.dataDir(), timeout)) {
            String listen = null;
            if (port.isPresent()) {
                listen = writePortConfig(port.get());
            }
            char[] password = Passwords.readNew(console, stdin);
            JsonNode identity;
            try {
                identity = ipc.call("create_identity", params("username", username, "password", password)).path("identity");
            } finally {
                Arrays.fill(password, '\0');
            }
            if (listen != null) {
                // After creating: get_transports is served only once the identity is unlocked.
                awaitListening(ipc, listen);
            }
            ObjectNode r = out.object();
            r.set("identity", identity);
            if (listen != null) {
                r.put("listen", listen);
            }
            out.result(r, "created " + identity.path("username").asText() + " (uid " + identity.path("uid").asText()
                    + "), unlocked\nfingerprint " + group(identity.path("fingerprint").asText())
                    + (listen != null ? "\nlistening on " + listen : ""));
            return ExitCode.OK;
        }
    }

    /** Writes this daemon's P2P settings; FileInstall hands them to the running daemon. */
    private String writePortConfig(int port) throws CliException {
        String host = args.option("host").orElse("0.0.0.0");
        String listen = "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        String advertised = args.option("advertise").orElse(null);
        if (advertised == null && !host.equals("0.0.0.0") && !host.equals("::")) {
            advertised = listen;
        }
        if (advertised != null && !advertised.matches("tcp://[^\\s]+:\\d{1,5}")) {
            throw CliException.usage("--advertise must be tcp://HOST:PORT");
        }
        DaemonConfig config = new DaemonConfig(daemon.dataDir());
        config.setP2p(listen, advertised);
        out.note("wrote " + config.file(DaemonConfig.TRANSPORT_PID));
        if (advertised == null) {
            out.note("listening on all addresses: peers that add our link code cannot dial us until"
                    + " --advertise tcp://HOST:" + port + " names an address they reach");
        }
        return listen;
    }

    /**
     * Waits until the daemon listens on {@code listen}, so that a link code printed next names a port that works:
     * it announces every transport change ({@code transports_changed}), so this waits for that event.
     */
    private void awaitListening(Ipc ipc, String listen) throws CliException {
        CompletableFuture<JsonNode> changed = ipc.nextEvent("transports_changed", d -> listensOn(d, listen));
        try {
            if (listensOn(ipc.call("get_transports"), listen)) {
                return;
            }
            changed.get(PORT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new CliException(ExitCode.ERROR, "the daemon did not take the new listen endpoint " + listen
                    + " within " + PORT_WAIT.toSeconds() + " s (see " + daemon.dataDir().resolve("logs")
                    + "); the identity was created");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.ERROR, "interrupted");
        } finally {
            changed.cancel(false);
        }
    }

    private static boolean listensOn(JsonNode transports, String listen) {
        for (JsonNode t : transports.path("transports")) {
            if (listen.equals(t.path("listen").asText())) {
                return true;
            }
        }
        return false;
    }

    private int unlock(List<String> rest) throws CliException {
        args.allowOnly("unlock", Set.of());
        noWords("unlock", rest);
        try (Ipc ipc = Ipc.connect(daemon.dataDir(), timeout)) {
            JsonNode status = ipc.call("status");
            String state = status.path("identity").path("state").asText();
            if (state.equals("none")) {
                throw new CliException(ExitCode.NOT_FOUND, "no identity to unlock (create one with: jarvis init --username NAME)");
            }
            if (state.equals("unlocked")) {
                ObjectNode r = out.object().put("already_unlocked", true);
                r.set("identity", status.path("identity"));
                out.result(r, "already unlocked");
                return ExitCode.OK;
            }
            char[] password = Passwords.read(console, stdin, "Password: ");
            JsonNode identity;
            try {
                identity = ipc.call("unlock", params("password", password)).path("identity");
            } finally {
                Arrays.fill(password, '\0');
            }
            ObjectNode r = out.object().put("already_unlocked", false);
            r.set("identity", identity);
            out.result(r, "unlocked " + identity.path("username").asText());
            return ExitCode.OK;
        }
    }

    private int lock(List<String> rest) throws CliException {
        args.allowOnly("lock", Set.of());
        noWords("lock", rest);
        try (Ipc ipc = Ipc.connect(daemon.dataDir(), timeout)) {
            String state = ipc.call("status").path("identity").path("state").asText();
            if (!state.equals("unlocked")) {
                // Locking is what the user wants to be true; it already is.
                out.result(out.object().put("already_locked", true), state.equals("none") ? "no identity" : "already locked");
                return ExitCode.OK;
            }
            ipc.call("lock");
            out.result(out.object().put("already_locked", false), "locked");
            return ExitCode.OK;
        }
    }

    // --- the account as a whole ---

    private int exportAccount(List<String> rest) throws CliException {
        args.allowOnly("export-account", Set.of());
        Path target = onePath("export-account", "FILE", rest);
        try (Ipc ipc = Ipc.connect(daemon.dataDir(), timeout)) {
            char[] password = Passwords.read(console, stdin, "Account password: ");
            JsonNode r;
            try {
                r = ipc.call("export_account", params("filepath", target.toString(), "password", password));
            } finally {
                Arrays.fill(password, '\0');
            }
            ObjectNode result = counts(out.object().put("filepath", target.toString()), r);
            out.result(result, "account exported to " + target + " (" + countText(r) + ")");
            return ExitCode.OK;
        }
    }

    private int importAccount(List<String> rest) throws CliException {
        args.allowOnly("import-account", Set.of());
        Path source = onePath("import-account", "FILE", rest);
        return importInto("import_account", source, "Password of the account file: ", "imported");
    }

    private int importLegacy(List<String> rest) throws CliException {
        args.allowOnly("import-legacy", Set.of());
        Path source = onePath("import-legacy", "DIR", rest);
        return importInto("import_legacy", source, "Jarvis 1.x password: ", "migrated from Jarvis 1.x");
    }

    private int importInto(String command, Path source, String prompt, String done) throws CliException {
        try (Ipc ipc = Ipc.connect(daemon.dataDir(), timeout)) {
            if (!ipc.call("status").path("identity").path("state").asText().equals("none")) {
                throw new CliException(ExitCode.ERROR, "this daemon has an identity already: an import goes into a"
                        + " data directory without one (use another --data-dir)");
            }
            char[] password = Passwords.read(console, stdin, prompt);
            JsonNode r;
            try {
                r = ipc.call(command, params("filepath", source.toString(), "password", password));
            } finally {
                Arrays.fill(password, '\0');
            }
            JsonNode identity = r.path("identity");
            ObjectNode result = counts(out.object(), r);
            result.set("identity", identity);
            out.result(result, done + ": " + identity.path("username").asText() + " (uid " + identity.path("uid")
                    .asText() + "), unlocked\nfingerprint " + group(identity.path("fingerprint").asText()) + "\n"
                    + countText(r));
            return ExitCode.OK;
        }
    }

    private static Path onePath(String command, String what, List<String> rest) throws CliException {
        if (rest.size() != 1) {
            throw CliException.usage(command + " takes one " + what);
        }
        try {
            return Paths.get(rest.get(0)).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw CliException.usage(command + ": bad path: " + e.getMessage());
        }
    }

    private static ObjectNode counts(ObjectNode result, JsonNode r) {
        return result.put("contacts", r.path("contacts").asInt()).put("groups", r.path("groups").asInt())
                .put("messages", r.path("messages").asInt());
    }

    private static String countText(JsonNode r) {
        return r.path("contacts").asInt() + " contacts, " + r.path("groups").asInt() + " groups, "
                + r.path("messages").asInt() + " messages";
    }

    // --- status ---

    private int status(List<String> rest) throws CliException {
        args.allowOnly("status", Set.of());
        noWords("status", rest);
        try (Ipc ipc = Ipc.connect(daemon.dataDir(), timeout)) {
            ObjectNode status = statusOf(ipc);
            out.result(status, statusText(status));
            return ExitCode.OK;
        } catch (CliException e) {
            if (e.exitCode() == ExitCode.NOT_RUNNING) {
                ObjectNode details = out.object();
                details.set("daemon", daemon.describe(out));
                out.failure(e, details);
                throw new Reported(e);
            }
            throw e;
        }
    }

    private ObjectNode statusOf(Ipc ipc) throws CliException {
        JsonNode s = ipc.call("status");
        ObjectNode r = out.object();
        ObjectNode d = (ObjectNode) daemon.describe(out);
        d.put("ipc", ipc.transport());
        d.set("version", s.path("daemon").path("version"));
        r.set("daemon", d);
        r.set("identity", s.path("identity"));
        r.put("locked", s.path("locked").asBoolean());
        r.set("services", s.path("services"));
        // get_transports (with the listen endpoints) is served only while unlocked; the status has the names.
        if (s.path("locked").asBoolean()) {
            ArrayNode names = r.putArray("transports");
            s.path("transports").forEach(t -> names.add(out.object().put("scheme", t.asText()).putNull("listen")));
        } else {
            r.set("transports", ipc.call("get_transports").path("transports"));
        }
        r.set("features", s.path("features"));
        if (!s.path("locked").asBoolean() && s.path("services").path("contacts").asBoolean()) {
            r.put("contacts", ipc.call("get_contacts").path("contacts").size());
        }
        if (!s.path("locked").asBoolean() && s.path("services").path("messaging").asBoolean()) {
            r.put("unread", ipc.call("get_total_unread_count").path("count").asInt());
        }
        return r;
    }

    private static String statusText(JsonNode s) {
        StringBuilder b = new StringBuilder();
        JsonNode d = s.path("daemon");
        b.append("jarvisd: running").append(d.path("pid").isNumber() ? " (pid " + d.path("pid").asLong() + ")" : "")
                .append(", version ").append(d.path("version").asText()).append(", data ").append(d.path("data_dir").asText())
                .append('\n');
        JsonNode id = s.path("identity");
        switch (id.path("state").asText()) {
            case "none" -> b.append("identity: none yet (jarvis init --username NAME)\n");
            case "locked" -> b.append("identity: ").append(id.path("username").asText("?")).append(", locked (jarvis unlock)\n");
            case "unlocked" -> b.append("identity: ").append(id.path("username").asText()).append(" (uid ")
                    .append(id.path("uid").asText()).append("), unlocked\nfingerprint: ")
                    .append(group(id.path("fingerprint").asText())).append('\n');
            default -> b.append("identity: ").append(id.path("state").asText()).append('\n');
        }
        StringBuilder listen = new StringBuilder();
        s.path("transports").forEach(t -> listen.append(listen.length() > 0 ? ", " : "")
                .append(t.path("listen").isTextual() ? t.path("listen").asText() : t.path("scheme").asText()));
        b.append("transports: ").append(listen.length() > 0 ? listen : "none").append('\n');
        if (s.has("contacts")) {
            b.append("contacts: ").append(s.path("contacts").asInt()).append('\n');
        }
        if (s.has("unread")) {
            b.append("unread: ").append(s.path("unread").asInt()).append('\n');
        }
        StringBuilder features = new StringBuilder();
        s.path("features").forEach(f -> features.append(features.length() > 0 ? ", " : "").append(f.asText()));
        b.append("features: ").append(features);
        return b.toString();
    }

    // --- contacts ---

    private int contacts(List<String> rest) throws CliException {
        args.allowOnly("contacts", Set.of());
        noWords("contacts", rest);
        try (Ipc ipc = Ipc.connect(daemon.dataDir(), timeout)) {
            JsonNode list = ipc.call("get_contacts").path("contacts");
            JsonNode states = ipc.call("get_connection_status").path("states");
            ArrayNode contacts = out.mapper().createArrayNode();
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-20s %-32s %-9s %-11s %s%n",
                    "NAME", "UID", "VERIFIED", "STATE", "ENDPOINTS"));
            for (JsonNode c : list) {
                ObjectNode entry = ((ObjectNode) c).deepCopy();
                String state = states.path(c.path("uid").asText()).asText("OFFLINE");
                entry.put("state", state);
                contacts.add(entry);
                StringBuilder endpoints = new StringBuilder();
                c.path("endpoints").forEach(e -> endpoints.append(endpoints.length() > 0 ? "," : "").append(e.asText()));
                text.append(String.format(Locale.ROOT, "%-20s %-32s %-9s %-11s %s%n", c.path("username").asText(),
                        c.path("uid").asText(), c.path("key_changed").asBoolean() ? "KEY-CHANGED"
                                : c.path("verified").asBoolean() ? "yes" : "no", state, endpoints));
            }
            ObjectNode r = out.object();
            r.set("contacts", contacts);
            out.result(r, list.isEmpty() ? "no contacts (add one with: jarvis add LINK-CODE)" : text.toString());
            return ExitCode.OK;
        }
    }

    private int link(List<String> rest) throws CliException {
        args.allowOnly("link", Set.of());
        noWords("link", rest);
        try (Ipc ipc = Ipc.connect(daemon.dataDir(), timeout)) {
            String code = ipc.call("get_link_code").path("link_code").asText();
            out.result(out.object().put("link_code", code), code);
            return ExitCode.OK;
        }
    }

    private int add(List<String> rest) throws CliException {
        args.allowOnly("add", Set.of());
        if (rest.size() != 1) {
            throw CliException.usage("add needs exactly one LINK-CODE");
        }
        try (Ipc ipc = Ipc.connect(daemon.dataDir(), timeout)) {
            JsonNode contact = ipc.call("add_contact_link", params("link_code", rest.get(0).trim())).path("contact");
            ObjectNode r = out.object();
            r.set("contact", contact);
            out.result(r, "added " + contact.path("username").asText() + " (uid " + contact.path("uid").asText() + ")\n"
                    + "fingerprint " + group(contact.path("fingerprint").asText()) + "\n"
                    + "not verified: compare the fingerprint with " + contact.path("username").asText()
                    + " (by phone or in person), then run: jarvis verify " + contact.path("uid").asText());
            return ExitCode.OK;
        }
    }

    /**
     * Marks a contact verified. Only the user can compare fingerprints out of band, so this never
     * verifies silently: it compares with a fingerprint given on the command line, asks on a terminal,
     * or needs an explicit --yes.
     */
    private int verify(List<String> rest) throws CliException {
        args.allowOnly("verify", Set.of("fingerprint", "yes"));
        if (rest.size() != 1) {
            throw CliException.usage("verify needs exactly one CONTACT");
        }
        if (args.option("fingerprint").isPresent() && args.flag("yes")) {
            throw CliException.usage("verify takes --fingerprint or --yes, not both");
        }
        try (Ipc ipc = Ipc.connect(daemon.dataDir(), timeout)) {
            JsonNode contact = contact(ipc, rest.get(0));
            String name = contact.path("username").asText();
            String theirs = contact.path("fingerprint").asText();
            String ours = ipc.call("get_identity").path("identity").path("fingerprint").asText();
            if (args.option("fingerprint").isPresent()) {
                String given = args.option("fingerprint").get().replaceAll("[\\s:]", "").toLowerCase(Locale.ROOT);
                if (!given.equals(theirs)) {
                    ObjectNode details = out.object().put("fingerprint", theirs);
                    CliException e = new CliException(ExitCode.ERROR, "the fingerprint given does not match the key we have for "
                            + name + " (" + group(theirs) + "); NOT verified: someone may be in the middle");
                    out.failure(e, details);
                    throw new Reported(e);
                }
            } else if (!args.flag("yes")) {
                String show = "their fingerprint (" + name + "): " + group(theirs) + "\nour fingerprint:          " + group(ours);
                if (console == null) {
                    ObjectNode details = out.object().put("fingerprint", theirs).put("our_fingerprint", ours);
                    CliException e = CliException.usage("not verified: compare the fingerprints with " + name
                            + ", then run again with --fingerprint HEX or --yes\n" + show);
                    out.failure(e, details);
                    throw new Reported(e);
                }
                console.printf("%s%n", show);
                String answer = console.readLine("Does %s read exactly these fingerprints? Mark verified [y/N] ", name);
                if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
                    throw new CliException(ExitCode.ERROR, "not verified");
                }
            }
            JsonNode verified = ipc.call("verify_contact", params("uid", contact.path("uid").asText())).path("contact");
            ObjectNode r = out.object();
            r.set("contact", verified);
            out.result(r, name + " is verified (fingerprint " + group(theirs) + ")");
            return ExitCode.OK;
        }
    }

    // --- messages ---

    private int send(List<String> rest) throws CliException {
        args.allowOnly("send", Set.of());
        if (rest.size() < 2) {
            throw CliException.usage("send needs CONTACT and TEXT");
        }
        String text = rest.size() == 2 && rest.get(1).equals("-") ? readText() : String.join(" ", rest.subList(1, rest.size()));
        if (text.isEmpty()) {
            throw CliException.usage("send: the message is empty");
        }
        try (Ipc ipc = Ipc.connect(daemon.dataDir(), timeout)) {
            JsonNode contact = contact(ipc, rest.get(0));
            String uid = contact.path("uid").asText();
            JsonNode sent = ipc.call("send_message", params("uid", uid, "message", text));
            ObjectNode r = out.object();
            r.set("message_id", sent.path("message_id"));
            r.set("state", sent.path("state"));
            r.set("timestamp", sent.path("timestamp"));
            r.set("contact", brief(contact));
            out.result(r, "sent to " + contact.path("username").asText() + " (" + sent.path("state").asText("QUEUED")
                    + ", message " + sent.path("message_id").asText() + ")");
            return ExitCode.OK;
        }
    }

    private int history(List<String> rest) throws CliException {
        args.allowOnly("history", Set.of("limit", "mark-read"));
        if (rest.size() != 1) {
            throw CliException.usage("history needs exactly one CONTACT");
        }
        var limit = args.intOption("limit", 1, 500);
        try (Ipc ipc = Ipc.connect(daemon.dataDir(), timeout)) {
            JsonNode contact = contact(ipc, rest.get(0));
            String uid = contact.path("uid").asText();
            Map<String, Object> p = params("uid", uid);
            limit.ifPresent(n -> p.put("limit", n));
            JsonNode page = ipc.call("get_messages", p);
            JsonNode messages = page.path("messages");
            if (args.flag("mark-read")) {
                ipc.call("mark_messages_read", params("uid", uid));
            }
            String me = ipc.call("get_identity").path("identity").path("username").asText("me");
            StringBuilder text = new StringBuilder();
            for (JsonNode m : messages) {
                boolean mine = m.path("sent_by_me").asBoolean(!m.path("sender_uid").asText().equals(uid));
                text.append('[').append(localTime(m.path("timestamp").asText())).append("] ")
                        .append(mine ? me : contact.path("username").asText()).append(": ").append(m.path("content").asText());
                if (mine) {
                    text.append("  (").append(m.path("state").asText()).append(')');
                }
                text.append('\n');
            }
            ObjectNode r = out.object();
            r.set("contact", brief(contact));
            r.set("messages", messages);
            r.put("more", page.path("more").asBoolean(false));
            out.result(r, messages.isEmpty() ? "no messages with " + contact.path("username").asText() : text.toString());
            return ExitCode.OK;
        }
    }

    // --- helpers ---

    /** A contact by uid or user name; exit code 5 when there is none. */
    private static JsonNode contact(Ipc ipc, String uidOrName) throws CliException {
        try {
            return ipc.call("get_contact", params("uid", uidOrName)).path("contact");
        } catch (CliException e) {
            if (e.exitCode() == ExitCode.NOT_FOUND) {
                throw new CliException(ExitCode.NOT_FOUND, "no contact named " + uidOrName + " (see: jarvis contacts)");
            }
            throw e;
        }
    }

    private ObjectNode brief(JsonNode contact) {
        return out.object().put("uid", contact.path("uid").asText()).put("username", contact.path("username").asText());
    }

    private String readText() throws CliException {
        try {
            byte[] bytes = stdin.readNBytes(64 * 1024 + 1);
            if (bytes.length > 64 * 1024) {
                throw CliException.usage("send: the message on stdin is longer than 64 KiB");
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new CliException(ExitCode.ERROR, "cannot read the message from stdin: " + e.getMessage(), e);
        }
    }

    private static void noWords(String command, List<String> rest) throws CliException {
        if (!rest.isEmpty()) {
            throw CliException.usage(command + " takes no arguments (got " + String.join(" ", rest) + ")");
        }
    }

    private static Map<String, Object> params(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static void putPid(ObjectNode r, OptionalLong pid) {
        if (pid.isPresent()) {
            r.put("pid", pid.getAsLong());
        } else {
            r.putNull("pid");
        }
    }

    private static String pidText(OptionalLong pid) {
        return pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "";
    }

    /** A fingerprint in groups of four, the form people read aloud to compare. */
    static String group(String hex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(hex, i, Math.min(hex.length(), i + 4));
        }
        return b.toString();
    }

    private static String localTime(String iso) {
        try {
            return LOCAL_TIME.format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** A failure already printed (with details) by the command; Main only takes its exit code. */
    public static final class Reported extends CliException {

        private static final long serialVersionUID = 1L;

        Reported(CliException e) {
            super(e.exitCode(), e.getMessage(), e);
        }
    }
}
