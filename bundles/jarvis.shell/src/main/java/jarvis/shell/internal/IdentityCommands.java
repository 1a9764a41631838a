package jarvis.shell.internal;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

import jarvis.api.IdentitySummary;
import jarvis.api.Ids;
import jarvis.api.account.AccountException;
import jarvis.api.account.AccountReport;
import jarvis.api.account.AccountService;
import jarvis.api.identity.IdentityException;
import jarvis.api.identity.IdentityService;
import jarvis.api.identity.IdentityStatus;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The local identity on the console: {@code identity:create NAME}, {@code identity:unlock},
 * {@code identity:lock}, {@code identity:show}, {@code identity:passwd}, {@code identity:export FILE},
 * {@code identity:import [--legacy] FILE}, {@code identity:delete}. Scope {@code identity} rather than
 * {@code jarvis}: "identity:create" and "identity:passwd" say what they act on, and Gogo still accepts the
 * bare name when no other scope has it.
 *
 * <p>Passwords are never command arguments (they would end up in the history). They are prompted for: with
 * echo off through {@link System#console()} when the session reads the daemon's own terminal (the
 * {@code --console} shell); otherwise (a remote or piped session, or no terminal) as a line read from the
 * session's input, which may echo, and the prompt says so. Either way they stay {@code char[]} and the
 * identity service wipes them. The commands block for the Argon2id run (about half a second).
 */
@Component(service = IdentityCommands.class, property = {
        "osgi.command.scope=identity",
        "osgi.command.function=create",
        "osgi.command.function=unlock",
        "osgi.command.function=lock",
        "osgi.command.function=show",
        "osgi.command.function=passwd",
        "osgi.command.function=export",
        "osgi.command.function=import",
        "osgi.command.function=delete"})
public final class IdentityCommands {

    /** Longest password line accepted from a stream, in bytes. */
    static final int MAX_PASSWORD_BYTES = 1024;

    private final IdentityService identity;
    /** The whole account (contacts, groups, history) when the account bundle runs; else the identity alone. */
    private volatile AccountService accounts;

    @Activate
    public IdentityCommands(@Reference IdentityService identity) {
        this.identity = identity;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetAccounts")
    void setAccounts(AccountService service) {
        accounts = service;
    }

    void unsetAccounts(AccountService service) {
        if (accounts == service) {
            accounts = null;
        }
    }

    @Descriptor("creates a new identity and unlocks it (asks for a new password twice)")
    public String create(CommandSession session, @Descriptor("user name") String username)
            throws IdentityException, IOException {
        char[] password = newPassword(prompter(session), "New password: ", "Repeat password: ");
        return "identity created\n" + describe(identity.create(username, password));
    }

    @Descriptor("unlocks the identity (asks for the password)")
    public String unlock(CommandSession session) throws IdentityException, IOException {
        char[] password = prompter(session).read("Password: ");
        return "identity unlocked\n" + describe(identity.unlock(password));
    }

    @Descriptor("locks the identity: its keys are wiped from memory")
    public String lock() {
        identity.lock();
        return "identity locked";
    }

    @Descriptor("shows the identity's state, user name, uid and fingerprint")
    public String show() {
        return describe(identity.status());
    }

    @Descriptor("changes the password (asks for the current one, then the new one twice)")
    public String passwd(CommandSession session) throws IdentityException, IOException {
        Prompter prompter = prompter(session);
        char[] old = prompter.read("Current password: ");
        char[] fresh;
        try {
            fresh = newPassword(prompter, "New password: ", "Repeat new password: ");
        } catch (IOException | IdentityException | RuntimeException e) {
            Arrays.fill(old, '\0');
            throw e;
        }
        identity.changePassword(old, fresh);
        return "password changed";
    }

    @Descriptor("writes the account (identity with its keys, contacts, groups, history) to a new file encrypted under"
            + " the account password")
    public String export(CommandSession session, @Descriptor("file to create") String file)
            throws IdentityException, AccountException, IOException {
        Path target = Paths.get(file).toAbsolutePath();
        AccountService a = accounts;
        if (a == null) {
            identity.exportAccount(target, prompter(session).read("Password: "));
            return "identity exported to " + target + " (protected by the account password)";
        }
        AccountReport report = a.exportAccount(target, prompter(session).read("Password: "));
        return "account exported to " + target + " (protected by the account password)\n" + counts(report);
    }

    /** {@code import} is a Java keyword; Gogo maps the command to this underscore-prefixed method. */
    @Descriptor("restores an account file into this daemon (which has no identity yet), or with --legacy migrates a"
            + " Jarvis 1.x data directory (or its identity.enc)")
    public String _import(CommandSession session,
            @Descriptor("the path is a Jarvis 1.x data directory or identity.enc") @Parameter(names = {"-l",
                "--legacy"}, presentValue = "true", absentValue = "false") boolean legacy,
            @Descriptor("file or directory to import") String file)
            throws IdentityException, AccountException, IOException {
        Path source = Paths.get(file).toAbsolutePath();
        char[] password = prompter(session).read(legacy ? "Jarvis 1.x password: " : "Export password: ");
        AccountService a = accounts;
        if (a == null) {
            IdentitySummary imported = legacy ? identity.importLegacy(source, password)
                    : identity.importAccount(source, password);
            return "identity imported\n" + describe(imported);
        }
        AccountReport report = legacy ? a.importLegacy(source, password) : a.importAccount(source, password);
        return (legacy ? "Jarvis 1.x account migrated" : "account imported") + "\n" + describe(report.identity())
                + "\n" + counts(report);
    }

    @Descriptor("deletes the account for good: keys wiped, identity file and store removed (asks for the password)")
    public String delete(CommandSession session) throws IdentityException, AccountException, IOException {
        char[] password = prompter(session).read("Password (deletes the account for good): ");
        AccountService a = accounts;
        if (a == null) {
            identity.delete(password);
            return "identity deleted";
        }
        a.deleteAccount(password);
        return "account deleted";
    }

    static String counts(AccountReport report) {
        return report.contacts() + " contacts, " + report.groups() + " groups, " + report.messages() + " messages";
    }

    /** Reads one password per call; the caller owns (and the service wipes) the returned array. */
    interface Prompter {
        char[] read(String prompt) throws IOException;
    }

    /** Asks twice and returns the password only if both answers match; every other copy is wiped. */
    static char[] newPassword(Prompter prompter, String prompt, String repeatPrompt)
            throws IOException, IdentityException {
        char[] first = prompter.read(prompt);
        char[] second = null;
        try {
            second = prompter.read(repeatPrompt);
            if (!Arrays.equals(first, second)) {
                throw new IdentityException(IdentityException.Reason.INVALID_ARGUMENT, "the passwords do not match");
            }
            return first;
        } catch (IOException | IdentityException | RuntimeException e) {
            Arrays.fill(first, '\0');
            throw e;
        } finally {
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    private static Prompter prompter(CommandSession session) {
        Console console = System.console();
        InputStream keyboard = session.getKeyboard();
        if (console != null && keyboard == System.in) {
            return prompt -> {
                char[] line = console.readPassword("%s", prompt);
                if (line == null) {
                    throw new IOException("no password given (end of input)");
                }
                return line;
            };
        }
        PrintStream out = session.getConsole();
        return prompt -> {
            out.print(prompt.replace(": ", " (input is not hidden here): "));
            out.flush();
            return readLine(keyboard);
        };
    }

    /**
     * One line of UTF-8 from {@code in} as characters, without the line end ({@code \n} or {@code \r\n}),
     * never through a String; the byte buffer is wiped.
     *
     * @throws IOException at end of input before any character, for a line over
     *         {@value #MAX_PASSWORD_BYTES} bytes, or for bytes that are not UTF-8
     */
    static char[] readLine(InputStream in) throws IOException {
        byte[] buffer = new byte[MAX_PASSWORD_BYTES];
        int n = 0;
        boolean ended = false;
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    ended = true;
                    break;
                }
                if (b == '\n') {
                    break;
                }
                if (n == buffer.length) {
                    throw new IOException("password longer than " + MAX_PASSWORD_BYTES + " bytes");
                }
                buffer[n++] = (byte) b;
            }
            if (ended && n == 0) {
                throw new IOException("no password given (end of input)");
            }
            if (n > 0 && buffer[n - 1] == '\r') {
                n--;
            }
            CharBuffer chars;
            try {
                chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buffer, 0, n));
            } catch (CharacterCodingException e) {
                throw new IOException("password is not UTF-8");
            }
            char[] line = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
            Arrays.fill(chars.array(), '\0');
            return line;
        } finally {
            Arrays.fill(buffer, (byte) 0);
        }
    }

    /** The status as the console shows it. */
    static String describe(IdentityStatus status) {
        switch (status.state()) {
            case NONE:
                return "no identity: create one with identity:create NAME or restore one with identity:import FILE";
            case LOCKED:
                return status.summary().map(IdentityCommands::describe)
                        .orElse("identity locked: unlock it with identity:unlock");
            default:
                return describe(status.summary().orElseThrow());
        }
    }

    /** Name, uid, fingerprint (grouped by 4, as people compare it) and creation time; never key material. */
    static String describe(IdentitySummary summary) {
        return String.format("%-12s %s%n%-12s %s%n%-12s %s%n%-12s %s%n%-12s %s",
                "state", summary.unlocked() ? "unlocked" : "locked",
                "user name", summary.username(),
                "uid", summary.uid(),
                "fingerprint", Ids.displayFingerprint(summary.fingerprint()),
                "created", summary.createdAt());
    }
}
