package jarvis.platform.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Forwards the OSGi log (what the framework, SCR, ConfigAdmin and FileInstall report) to the JDK's
 * {@link System.Logger}, which the launcher sends to the daemon's log file. Framework events get
 * their own logger names ({@code osgi.events.*}) so their volume can be tuned apart.
 */
@Component(immediate = true)
public final class LogForwarder implements LogListener {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindLogReader(LogReaderService reader) {
        // Entries logged before this bundle started (start level 1 and 2) are replayed once, oldest first.
        List<LogEntry> history = new ArrayList<>();
        for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements();) {
            history.add(e.nextElement());
        }
        Collections.reverse(history);
        history.forEach(this::logged);
        reader.addLogListener(this);
    }

    void unbindLogReader(LogReaderService reader) {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        System.Logger logger = System.getLogger(loggerName(entry));
        System.Logger.Level level = level(entry.getLogLevel());
        if (!logger.isLoggable(level)) {
            return;
        }
        String bundle = entry.getBundle() == null ? "?" : entry.getBundle().getSymbolicName();
        String message = "[" + bundle + "] " + entry.getMessage();
        if (entry.getException() != null) {
            logger.log(level, message, entry.getException());
        } else {
            logger.log(level, message);
        }
    }

    static String loggerName(LogEntry entry) {
        String name = entry.getLoggerName();
        if (name != null && name.startsWith("Events.")) {
            return "osgi.events." + name.substring("Events.".length()).toLowerCase(java.util.Locale.ROOT);
        }
        return entry.getBundle() == null || entry.getBundle().getSymbolicName() == null
                ? "osgi" : "osgi." + entry.getBundle().getSymbolicName();
    }

    static System.Logger.Level level(LogLevel level) {
        return switch (level) {
            case AUDIT, ERROR -> System.Logger.Level.ERROR;
            case WARN -> System.Logger.Level.WARNING;
            case INFO -> System.Logger.Level.INFO;
            case DEBUG -> System.Logger.Level.DEBUG;
            case TRACE -> System.Logger.Level.TRACE;
        };
    }
}
