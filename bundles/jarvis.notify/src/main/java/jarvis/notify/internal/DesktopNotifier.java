package jarvis.notify.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import jarvis.api.Contact;
import jarvis.api.IdentitySummary;
import jarvis.api.Message;
import jarvis.api.MessageListener;
import jarvis.api.contacts.ContactDirectory;
import jarvis.api.identity.IdentityListener;
import jarvis.api.identity.UnlockedIdentity;

/**
 * Shows each received message as a desktop notification, through {@code notify-send} where it exists.
 * The text travels as a process argument, never through a shell, so nothing in a message can run as a
 * command (1.x built an AppleScript string from it). Nothing is shown while the identity is locked:
 * a locked screen must not show message text. {@code enabled = false} in {@code jarvis.notify} (the
 * terminal UI's settings switch writes it) turns it off.
 */
@Component(name = DesktopNotifier.PID, immediate = true, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {MessageListener.class, IdentityListener.class})
@Designate(ocd = DesktopNotifier.Config.class)
public final class DesktopNotifier implements MessageListener, IdentityListener {

    static final String PID = "jarvis.notify";

    @ObjectClassDefinition(name = "Jarvis desktop notifications",
            description = "New messages as desktop notifications, never while locked.")
    public @interface Config {

        @AttributeDefinition(name = "Enabled", description = "Show desktop notifications for new messages.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Command", description = "The notifier: a program name looked up on PATH, or "
                + "an absolute path. It gets the title and the text as its last two arguments.")
        String command() default "notify-send";
    }

    private static final System.Logger LOG = System.getLogger(DesktopNotifier.class.getName());
    /** Notifications waiting for a notifier process; a burst beyond this is dropped, not queued forever. */
    static final int MAX_WAITING = 16;
    private static final long PROCESS_SECONDS = 10;

    private final ExecutorService launcher;
    private volatile Settings settings;
    private volatile boolean unlocked;
    private volatile ContactDirectory contacts;

    /** The configuration as used: the notifier program found (empty: none on this machine). */
    record Settings(boolean enabled, Optional<Path> program) {
        static Settings from(Config config, String path) {
            return new Settings(config.enabled(), find(config.command(), path));
        }
    }

    @Activate
    public DesktopNotifier(Config config) {
        this.settings = Settings.from(config, System.getenv("PATH"));
        this.launcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(MAX_WAITING),
                r -> {
                    Thread t = new Thread(r, "jarvis-notify");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.DiscardPolicy());
        describe();
    }

    @Modified
    void modified(Config config) {
        settings = Settings.from(config, System.getenv("PATH"));
        describe();
    }

    @Deactivate
    void deactivate() {
        launcher.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setContacts(ContactDirectory directory) {
        contacts = directory;
    }

    void unsetContacts(ContactDirectory directory) {
        if (contacts == directory) {
            contacts = null;
        }
    }

    private void describe() {
        Settings s = settings;
        LOG.log(System.Logger.Level.INFO, !s.enabled() ? "desktop notifications are switched off"
                : s.program().map(p -> "desktop notifications through " + p)
                        .orElse("desktop notifications: no notifier program on this machine"));
    }

    // --- listeners: they only queue; the process runs on the notifier's own thread ---

    @Override
    public void messageReceived(Message message) {
        Settings s = settings;
        if (message.outgoing() || !unlocked || !s.enabled() || s.program().isEmpty()) {
            return;
        }
        ContactDirectory directory = contacts;
        String name = directory == null ? shortUid(message.senderUid())
                : directory.byUid(message.senderUid()).map(Contact::username).orElse(shortUid(message.senderUid()));
        boolean group = !message.conversationId().equals(message.senderUid());
        Notification n = Notification.of(name, group, message.text());
        List<String> argv = List.of(s.program().get().toString(), "--app-name=Jarvis", n.title(), n.body());
        try {
            launcher.execute(() -> run(argv));
        } catch (RejectedExecutionException e) {
            // Stopping: the notification is not needed any more.
        }
    }

    @Override
    public void identityUnlocked(UnlockedIdentity identity) {
        unlocked = true;
    }

    @Override
    public void identityLocked(IdentitySummary identity) {
        unlocked = false;
    }

    @Override
    public void identityDeleted(IdentitySummary identity) {
        unlocked = false;
    }

    /** Started with an argument vector: no shell sees the text. Output is discarded; a failure is logged. */
    private void run(List<String> argv) {
        if (!unlocked) {
            return; // locked while this waited
        }
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(
                            new File("/dev/null"))).start();
            if (!p.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.log(System.Logger.Level.WARNING, "the notifier did not finish within " + PROCESS_SECONDS + " s");
            } else if (p.exitValue() != 0) {
                LOG.log(System.Logger.Level.DEBUG, "the notifier exited with " + p.exitValue());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot run the notifier: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An absolute path as it is, else the first executable of that name on {@code path}. */
    static Optional<Path> find(String command, String path) {
        if (command == null || command.isBlank()) {
            return Optional.empty();
        }
        Path given = Paths.get(command);
        if (given.isAbsolute()) {
            return Files.isExecutable(given) ? Optional.of(given) : Optional.empty();
        }
        if (command.contains("/") || path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Paths.get(dir, command);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static String shortUid(String uid) {
        return uid.substring(0, Math.min(8, uid.length()));
    }
}
