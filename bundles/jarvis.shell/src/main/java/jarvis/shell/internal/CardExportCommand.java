package jarvis.shell.internal;

import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code jarvis:card-export FILE}. Gogo finds a command's method by its name and a method name cannot have
 * a hyphen, so this command is a {@link Function} (Gogo hands it the arguments) that calls
 * {@link ContactCommands#cardExport}.
 */
@Component(service = CardExportCommand.class, property = {
        "osgi.command.scope=jarvis",
        "osgi.command.function=card-export"})
public final class CardExportCommand implements Function {

    static final String USAGE = "usage: jarvis:card-export FILE  (writes our own contact card to a new file)";

    private final ContactCommands commands;

    @Activate
    public CardExportCommand(@Reference ContactCommands commands) {
        this.commands = commands;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        if (arguments.size() != 1 || isHelp(arguments.get(0))) {
            return USAGE;
        }
        return commands.cardExport(String.valueOf(arguments.get(0)));
    }

    private static boolean isHelp(Object argument) {
        return "--help".equals(argument) || "-h".equals(argument);
    }
}
