package jarvis.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.management.ObjectName;

import jarvis.api.Contact;
import jarvis.session.internal.BenchSessionCores;

/**
 * The daemon under load in a process of its own, and the load driver's handle on it. The child runs one
 * {@link LoadDaemon} whose contacts are the simulated peers 0..K-1 and answers one-line commands on stdin
 * with one-line {@code key=value} replies on stdout (log output goes to stderr):
 * {@code STATS}, {@code GC} (full GC, then heap and RSS), {@code HISTO_BASE} / {@code HISTO_DIFF top divisor}
 * (class histogram difference, lines ending with {@code END}), {@code QUIT}.
 */
final class DaemonProcess implements AutoCloseable {

    private static final long REPLY_TIMEOUT_SECONDS = 120;

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    final int port;
    final byte[] publicKey;

    private DaemonProcess(Process process) throws IOException {
        this.process = process;
        this.commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    replies.add(line);
                }
            } catch (IOException e) {
                replies.add("EOF " + e);
            }
            replies.add("EOF");
        }, "daemon-stdout");
        reader.setDaemon(true);
        reader.start();
        // The JVM itself may print first (for example -XX:StartFlightRecording): skip to the ready line.
        String first = next();
        for (int i = 0; i < 100 && !first.startsWith("port="); i++) {
            System.err.println("daemon: " + first);
            first = next();
        }
        Map<String, String> ready = parse(first);
        if (!ready.containsKey("port")) {
            process.destroyForcibly();
            throw new IOException("daemon did not start: " + ready);
        }
        this.port = Integer.parseInt(ready.get("port"));
        this.publicKey = HexFormat.of().parseHex(ready.get("key"));
    }

    /** Starts the daemon JVM with the same java and class path as this one. */
    static DaemonProcess start(List<String> jvmOptions, Map<String, String> options) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SessionLoad.class.getName());
        command.add("daemon");
        options.forEach((k, v) -> command.add("--" + k + "=" + v));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new DaemonProcess(builder.start());
    }

    long pid() {
        return process.pid();
    }

    Map<String, String> ask(String command) throws IOException {
        send(command);
        return parse(next());
    }

    List<String> askLines(String command) throws IOException {
        send(command);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String line = next();
            if (line.equals("END")) {
                return lines;
            }
            lines.add(line);
        }
        throw new IOException("no END after 10,000 lines");
    }

    private void send(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
    }

    private String next() throws IOException {
        try {
            String line = replies.poll(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                throw new IOException("the daemon did not answer within " + REPLY_TIMEOUT_SECONDS + " s");
            }
            if (line.startsWith("EOF")) {
                throw new IOException("the daemon exited: " + line);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static Map<String, String> parse(String line) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String part : line.trim().split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                map.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return map;
    }

    @Override
    public void close() {
        try {
            send("QUIT");
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    // ---- the child ----

    /** {@code SessionLoad daemon --contacts=K --seed=S --max-connections=M --max-pending=P --keepalive=s --dead=s --idle=s}. */
    static void runChild(Map<String, String> options) throws Exception {
        // Replies own stdout; anything else printed by libraries goes to stderr.
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);
        SessionLoad.configureLogging(options.getOrDefault("log", "WARNING"));
        int contacts = Integer.parseInt(options.getOrDefault("contacts", "1000"));
        long seed = Long.parseLong(options.getOrDefault("seed", "1"));
        BenchSettings settings = new BenchSettings()
                .keepalive(Integer.parseInt(options.getOrDefault("keepalive", "30")),
                        Integer.parseInt(options.getOrDefault("dead", "90")))
                .maxPending(Integer.parseInt(options.getOrDefault("max-pending", "256")));
        int maxConnections = Integer.parseInt(options.getOrDefault("max-connections", "512"));
        int idle = Integer.parseInt(options.getOrDefault("idle", "120"));
        Map<String, String> emptyCore = memory();
        List<Contact> list = new ArrayList<>(contacts);
        for (int i = 0; i < contacts; i++) {
            list.add(LoadDaemon.simulatedContact(seed, i));
        }
        try (LoadDaemon daemon = new LoadDaemon("daemon", settings, maxConnections, idle, list, null)) {
            list = null;
            out.println("port=" + daemon.endpoint().port() + " key=" + daemon.identity.publicKeyHex()
                    + " heapBeforeContacts=" + emptyCore.get("heap"));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            Map<String, long[]> histogramBase = Map.of();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.trim().split(" ");
                switch (words[0]) {
                    case "STATS":
                        out.println(stats(daemon));
                        break;
                    case "GC": {
                        Map<String, String> m = memory();
                        StringBuilder b = new StringBuilder();
                        m.forEach((k, v) -> b.append(k).append('=').append(v).append(' '));
                        out.println(b.toString().trim());
                        break;
                    }
                    case "HISTO_BASE":
                        histogramBase = histogram();
                        out.println("ok=1");
                        break;
                    case "HISTO_DIFF":
                        for (String l : histogramDiff(histogramBase, histogram(), Integer.parseInt(words[1]),
                                Integer.parseInt(words[2]))) {
                            out.println(l);
                        }
                        out.println("END");
                        break;
                    case "QUIT":
                        out.println("bye=1");
                        return;
                    default:
                        out.println("error=unknown-command");
                }
            }
        }
    }

    private static String stats(LoadDaemon d) {
        Map<String, Long> cpu = threadCpu();
        return "online=" + d.online.get() + " onlineTotal=" + d.onlineTotal.get() + " offlineTotal="
                + d.offlineTotal.get() + " security=" + d.securityEvents.get() + " requests=" + d.contacts.requests.get()
                + " wires=" + BenchSessionCores.openWires(d.core) + " pending="
                + BenchSessionCores.pendingHandshakes(d.core) + " processCpuNanos=" + processCpuNanos()
                + " sessionCpuNanos=" + cpu.getOrDefault("session", 0L) + " ioCpuNanos=" + cpu.getOrDefault("io", 0L)
                + " otherJavaCpuNanos=" + cpu.getOrDefault("other", 0L)
                + " lastSecurity=" + d.lastSecurityEvent.get().replace(' ', '_');
    }

    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    /** CPU time of the live Java threads by role: the session thread, the TCP event loops, the rest. */
    private static Map<String, Long> threadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos < 0) {
                continue;
            }
            String name = info.getThreadName();
            String group = name.startsWith("jarvis-session") ? "session"
                    : name.startsWith("jarvis-tcp") ? "io" : "other";
            byGroup.merge(group, nanos, Long::sum);
        }
        return byGroup;
    }

    /** Heap used after full collections, committed heap, RSS and direct memory. */
    static Map<String, String> memory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            LoadDaemon.sleep(200);
        }
        Map<String, String> m = new LinkedHashMap<>();
        java.lang.management.MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        m.put("heap", Long.toString(heap.getUsed()));
        m.put("heapCommitted", Long.toString(heap.getCommitted()));
        m.put("rssKb", Long.toString(statusKb("VmRSS")));
        m.put("threads", Integer.toString(ManagementFactory.getThreadMXBean().getThreadCount()));
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct = pool.getMemoryUsed();
            }
        }
        m.put("directJdk", Long.toString(direct));
        m.put("directNetty", Long.toString(io.netty.util.internal.PlatformDependent.usedDirectMemory()));
        m.put("fds", Long.toString(openFds()));
        return m;
    }

    private static long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static long openFds() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The live-object class histogram (a full GC), class name to {instances, bytes}. */
    private static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> map = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // "  12:   3456   78901  java.lang.String (java.base@17)"
            if (f.length >= 4 && f[0].endsWith(":")) {
                try {
                    map.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                } catch (NumberFormatException e) {
                    // header or total line
                }
            }
        }
        return map;
    }

    private static List<String> histogramDiff(Map<String, long[]> before, Map<String, long[]> after, int top,
            int divisor) {
        List<Map.Entry<String, long[]>> diffs = new ArrayList<>();
        long totalBytes = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long[] d = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
            totalBytes += d[1];
            diffs.add(Map.entry(e.getKey(), d));
        }
        for (Map.Entry<String, long[]> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                totalBytes -= e.getValue()[1];
            }
        }
        diffs.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        List<String> lines = new ArrayList<>();
        int d = Math.max(1, divisor);
        lines.add(String.format("total bytes=%d perSession=%.1f", totalBytes, totalBytes / (double) d));
        for (int i = 0; i < Math.min(top, diffs.size()); i++) {
            Map.Entry<String, long[]> e = diffs.get(i);
            lines.add(String.format("%-70s instances/session=%6.2f bytes/session=%8.1f", e.getKey(),
                    e.getValue()[0] / (double) d, e.getValue()[1] / (double) d));
        }
        return lines;
    }
}
