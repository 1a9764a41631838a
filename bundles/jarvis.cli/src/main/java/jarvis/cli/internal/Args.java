package jarvis.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line: positional words and options. Options may come anywhere (before or after the
 * subcommand), as {@code --name value} or {@code --name=value}; {@code --} ends the options so that a
 * message may start with a dash. Unknown options are usage errors rather than words, so a typo such
 * as {@code --jsn} is never sent as message text.
 */
public final class Args {

    /** Options that take a value. */
    static final Set<String> VALUED = Set.of("data-dir", "timeout", "username", "port", "host", "advertise",
            "fingerprint", "limit");
    /** Options that are flags. */
    static final Set<String> FLAGS = Set.of("json", "help", "yes", "mark-read");

    private final List<String> words;
    private final Map<String, String> options;

    private Args(List<String> words, Map<String, String> options) {
        this.words = List.copyOf(words);
        this.options = options;
    }

    public static Args parse(String[] argv) throws CliException {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        boolean onlyWords = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (onlyWords || !a.startsWith("-") || a.equals("-")) {
                words.add(a);
                continue;
            }
            if (a.equals("--")) {
                onlyWords = true;
                continue;
            }
            if (a.equals("-h")) {
                options.put("help", "true");
                continue;
            }
            if (!a.startsWith("--")) {
                throw CliException.usage("unknown option: " + a);
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw CliException.usage("--" + name + " takes no value");
                }
                options.put(name, "true");
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw CliException.usage("--" + name + " needs a value");
                    }
                    value = argv[++i];
                }
                options.put(name, value);
            } else {
                throw CliException.usage("unknown option: --" + name);
            }
        }
        return new Args(words, options);
    }

    public List<String> words() {
        return words;
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    public Optional<Integer> intOption(String name, int min, int max) throws CliException {
        Optional<String> raw = option(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(raw.get().trim());
            if (value < min || value > max) {
                throw CliException.usage("--" + name + " must be between " + min + " and " + max);
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw CliException.usage("--" + name + " must be a number, not '" + raw.get() + "'");
        }
    }

    /** Fails with a usage error if an option is given that the command does not take. */
    public void allowOnly(String command, Set<String> allowed) throws CliException {
        for (String name : options.keySet()) {
            if (!allowed.contains(name) && !Set.of("data-dir", "json", "timeout", "help").contains(name)) {
                throw CliException.usage(command + " does not take --" + name);
            }
        }
    }
}
