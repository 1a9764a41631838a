package jarvis.shell.internal;

import java.io.IOException;

import jarvis.api.account.AccountException;
import jarvis.api.identity.IdentityException;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code jarvis:identity ACTION [ARG]}: the identity commands in the {@code jarvis} scope, where
 * every Jarvis function lives; the same actions are also {@code identity:ACTION}.
 */
@Component(service = JarvisIdentityCommand.class, property = {
        "osgi.command.scope=jarvis",
        "osgi.command.function=identity"})
public final class JarvisIdentityCommand {

    static final String USAGE = "usage: jarvis:identity create NAME | unlock | lock | show | passwd | export FILE"
            + " | import FILE | import-legacy DIR | delete";

    private final IdentityCommands commands;

    @Activate
    public JarvisIdentityCommand(@Reference IdentityCommands commands) {
        this.commands = commands;
    }

    @Descriptor("the local identity: create NAME | unlock | lock | show | passwd | export FILE | import FILE"
            + " | import-legacy DIR | delete")
    public String identity(CommandSession session, @Descriptor("action") String action,
            @Descriptor("argument of create, export and import") String... args)
            throws IdentityException, AccountException, IOException {
        String arg = args.length == 1 ? args[0] : null;
        boolean noArg = args.length == 0;
        return switch (action) {
            case "create" -> arg == null ? USAGE : commands.create(session, arg);
            case "unlock" -> noArg ? commands.unlock(session) : USAGE;
            case "lock" -> noArg ? commands.lock() : USAGE;
            case "show" -> noArg ? commands.show() : USAGE;
            case "passwd" -> noArg ? commands.passwd(session) : USAGE;
            case "export" -> arg == null ? USAGE : commands.export(session, arg);
            case "import" -> arg == null ? USAGE : commands._import(session, false, arg);
            case "import-legacy" -> arg == null ? USAGE : commands._import(session, true, arg);
            case "delete" -> noArg ? commands.delete(session) : USAGE;
            default -> USAGE;
        };
    }

    @Descriptor("the local identity: show")
    public String identity() {
        return commands.show();
    }
}
