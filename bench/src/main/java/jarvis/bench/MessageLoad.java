package jarvis.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import jarvis.client.Event;

/**
 * Messages between real daemons of the distribution on 127.0.0.1 (docs/benchmarks.md, "Messages between
 * daemons"). Starts {@code bin/jarvisd} processes with their own data directories and ports, creates their
 * identities and exchanges link codes over IPC, then measures through IPC what a user's client sees:
 * <ul>
 * <li>one-to-one throughput: 1 KiB texts sent by A's client; a message counts once B's client was told it
 * was received (B stored it) and A's client was told it was DELIVERED (B's acknowledgement, sent after B's
 * commit, was applied by A);</li>
 * <li>latency at fixed offered rates (each of {@code --rate}, a list): durable-ack (send call to DELIVERED at the sender) and one-way (send
 * call to received at the receiver), one clock (this JVM's);</li>
 * <li>fan-in: N daemons send to one at once;</li>
 * <li>unlock over IPC (lock, then the unlock request's round trip), the daemons' start to ready, and RSS.</li>
 * </ul>
 * Prints a table and one line {@code RESULT_JSON {...}}; exits 1 if any message was lost, duplicated or
 * altered. Options are {@code --name=value}; see {@link #main}.
 */
public final class MessageLoad {

    private static final char[] PASSWORD = "load driver password".toCharArray();
    private static final Duration ONLINE_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final Map<String, String> options;
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final List<String[]> rows = new ArrayList<>();
    private boolean correct = true;

    private MessageLoad(Map<String, String> options) {
        this.options = options;
    }

    /**
     * Options: {@code --dist=launcher/target/jarvis --size=1024 --messages=10000 --runs=3 --warmup=3000
     * --window=1024 --requests=128 --rate=1000,200 --latency-seconds=10 --peers=4 --fanin-messages=12000
     * --fanin-runs=1 --unlocks=3 --cap=180 --tests=throughput,latency,fanin,unlock
     * --daemon-jvm='<JARVIS_JAVA_OPTS of each daemon; {name} becomes the node's name>' --work=<dir>}.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || a.indexOf('=') < 0) {
                System.err.println("options are --name=value, not " + a);
                System.exit(2);
            }
            options.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        MessageLoad load = new MessageLoad(options);
        int code = load.run() ? 0 : 1;
        System.exit(code);
    }

    /**
     * One run with {@code options} (the names of {@link #main}, without the dashes), for a test that checks only
     * correctness: the result's {@code exactly_once} says whether every message arrived once, unchanged, and was
     * DELIVERED. The table and the JSON line are printed as by {@link #main}.
     */
    public static Map<String, Object> measure(Map<String, String> options) throws Exception {
        MessageLoad load = new MessageLoad(new LinkedHashMap<>(options));
        load.run();
        return load.result;
    }

    private boolean run() throws Exception {
        Path dist = Path.of(opt("dist", "launcher/target/jarvis")).toAbsolutePath();
        if (!Files.isExecutable(dist.resolve("bin/jarvisd"))) {
            throw new IllegalArgumentException("no distribution at " + dist + " (bin/jarvisd); build it first");
        }
        Path work = options.containsKey("work") ? Files.createDirectories(Path.of(options.get("work")))
                : Files.createTempDirectory("jarvis-load");
        String jvm = opt("daemon-jvm", "");
        List<String> tests = List.of(opt("tests", "throughput,latency,fanin,unlock").split(","));
        int peers = tests.contains("fanin") ? intOpt("peers", 4) : 1;
        result.put("machine", machine());
        result.put("options", new LinkedHashMap<>(options));
        log("work directory %s; starting %d daemons from %s", work, peers + 1, dist);
        List<JarvisdNode> nodes = new ArrayList<>();
        try {
            JarvisdNode b = JarvisdNode.start(dist, work, "b", jvm);
            nodes.add(b);
            for (int i = 0; i < peers; i++) {
                nodes.add(JarvisdNode.start(dist, work, i == 0 ? "a" : "p" + i, jvm));
            }
            List<Double> ready = new ArrayList<>();
            List<Double> create = new ArrayList<>();
            for (JarvisdNode n : nodes) {
                ready.add((double) n.readyMillis);
                create.add(n.createIdentity(PASSWORD) / 1e6);
            }
            row("daemons", "start to ready, ms (launched one after another)", ready, 0);
            row("daemons", "create_identity round trip, ms", create, 0);
            JarvisdNode a = nodes.get(1);
            List<JarvisdNode> senders = nodes.subList(1, nodes.size());
            String codeB = b.linkCode();
            for (JarvisdNode s : senders) {
                s.addLink(codeB);
                b.addLink(s.linkCode());
            }
            for (JarvisdNode s : senders) {
                s.awaitOnline(b.uid, ONLINE_TIMEOUT);
                b.awaitOnline(s.uid, ONLINE_TIMEOUT);
            }
            log("%d sessions to b ONLINE", senders.size());
            b.client.onEvent(MessageTraffic::onReceiverEvent);
            int size = intOpt("size", 1024);
            int window = intOpt("window", 1024);
            int requests = intOpt("requests", 128);
            int cap = intOpt("cap", 180);
            result.put("rss_before_mib", Map.of("a", a.rssBytes() >> 20, "b", b.rssBytes() >> 20));
            if (tests.contains("throughput") || tests.contains("latency")) {
                int warmup = intOpt("warmup", 3000);
                if (warmup > 0) {
                    MessageTraffic w = burst(List.of(a), b, warmup, size, window, requests, cap);
                    log("warm-up: %d messages, %.0f msgs/s; %s", warmup, rate(List.of(w)), w.describe());
                    check(w, "warm-up");
                }
            }
            if (tests.contains("throughput")) {
                int messages = intOpt("messages", 10_000);
                List<Double> rates = new ArrayList<>();
                long rssMaxA = 0;
                long rssMaxB = 0;
                for (int run = 1; run <= intOpt("runs", 3); run++) {
                    MessageTraffic t = burst(List.of(a), b, messages, size, window, requests, cap);
                    rates.add(rate(List.of(t)));
                    rssMaxA = Math.max(rssMaxA, a.rssBytes());
                    rssMaxB = Math.max(rssMaxB, b.rssBytes());
                    log("one-to-one run %d: %d messages, %.0f delivered+durable+acknowledged msgs/s (load %s); %s", run,
                            messages, rates.get(rates.size() - 1), loadAverage(), t.describe());
                    check(t, "one-to-one run " + run);
                }
                row("one-to-one, " + size + " B", "delivered+durable+acked msgs/s", rates, 0);
                result.put("one_to_one_msgs_per_s", rates);
                result.put("rss_after_bursts_mib", Map.of("a", rssMaxA >> 20, "b", rssMaxB >> 20));
                rows.add(new String[] {"one-to-one, " + size + " B", "RSS after the bursts, MiB: sender / receiver",
                        (rssMaxA >> 20) + " / " + (rssMaxB >> 20), "", "", "1"});
            }
            if (tests.contains("latency")) {
                Map<String, Object> byRate = new LinkedHashMap<>();
                for (String rate : opt("rate", "1000,200").split(",")) {
                    latency(a, b, Integer.parseInt(rate.trim()), size, requests, cap, byRate);
                }
                result.put("latency", byRate);
            }
            if (tests.contains("fanin") && senders.size() > 1) {
                int total = intOpt("fanin-messages", 12_000);
                List<Double> rates = new ArrayList<>();
                for (int run = 1; run <= intOpt("fanin-runs", 1); run++) {
                    List<MessageTraffic> all = fanIn(senders, b, total / senders.size(), size, window, requests, cap);
                    rates.add(rate(all));
                    log("fan-in run %d: %d senders x %d messages, %.0f msgs/s into b (load %s)", run, senders.size(),
                            total / senders.size(), rates.get(rates.size() - 1), loadAverage());
                    for (MessageTraffic t : all) {
                        check(t, "fan-in run " + run);
                    }
                }
                row("fan-in, " + senders.size() + " daemons -> 1", "delivered+durable+acked msgs/s", rates, 0);
                result.put("fan_in_senders", senders.size());
                result.put("fan_in_msgs_per_s", rates);
            }
            if (tests.contains("unlock")) {
                List<Double> unlocks = new ArrayList<>();
                for (int i = 0; i < intOpt("unlocks", 3); i++) {
                    unlocks.add(b.lockThenUnlock(PASSWORD) / 1e6);
                }
                row("unlock over IPC", "unlock round trip, ms (Argon2id m=64 MiB, t=3)", unlocks, 0);
                result.put("unlock_ms", unlocks);
            }
            result.put("daemon_cpu_ms", Map.of("a", a.cpuMillis(), "b", b.cpuMillis()));
        } finally {
            for (JarvisdNode n : nodes) {
                n.close();
            }
        }
        result.put("exactly_once", correct);
        printTable();
        System.out.println("RESULT_JSON " + JSON.writeValueAsString(result));
        if (!correct) {
            System.out.println("FAILED: messages were lost, duplicated, altered or failed (see above); logs in " + work);
        }
        return correct;
    }

    /** Senders each send {@code count} messages to {@code receiver} as fast as the window lets them. */
    private MessageTraffic burst(List<JarvisdNode> senders, JarvisdNode receiver, int count, int size, int window,
            int requests, int cap) throws Exception {
        return fanIn(senders, receiver, count, size, window, requests, cap).get(0);
    }

    private List<MessageTraffic> fanIn(List<JarvisdNode> senders, JarvisdNode receiver, int count, int size,
            int window, int requests, int cap) throws Exception {
        List<MessageTraffic> traffic = new ArrayList<>();
        List<Consumer<Event>> listeners = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (JarvisdNode s : senders) {
            MessageTraffic t = new MessageTraffic(count, size, window, requests);
            traffic.add(t);
            Consumer<Event> l = t::onSenderEvent;
            listeners.add(l);
            s.client.onEvent(l);
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        t.send(s, receiver.uid, i);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "send-" + s.name));
        }
        threads.forEach(Thread::start);
        for (MessageTraffic t : traffic) {
            if (!t.await(cap)) {
                log("incomplete after %d s: %s", cap, t.describe());
            }
        }
        for (Thread th : threads) {
            th.interrupt();
            th.join(TimeUnit.SECONDS.toMillis(10));
        }
        for (int i = 0; i < senders.size(); i++) {
            senders.get(i).client.removeEventListener(listeners.get(i));
            traffic.get(i).close();
        }
        return traffic;
    }

    /** An open-loop run at a fixed offered rate: message i is sent at start + i / rate, whatever came back. */
    private void latency(JarvisdNode a, JarvisdNode b, int rate, int size, int requests, int cap,
            Map<String, Object> byRate) throws Exception {
        int seconds = intOpt("latency-seconds", 10);
        int count = rate * seconds;
        MessageTraffic t = new MessageTraffic(count, size, count, requests);
        Consumer<Event> l = t::onSenderEvent;
        a.client.onEvent(l);
        long start = System.nanoTime();
        long lateSends = 0;
        for (int i = 0; i < count; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (wait < -1_000_000) {
                lateSends++;
            }
            t.send(a, b.uid, i);
        }
        long offeredNanos = System.nanoTime() - start;
        boolean complete = t.await(cap);
        a.client.removeEventListener(l);
        t.close();
        log("latency at %d msgs/s for %d s (offered over %.2f s, %d sends more than 1 ms late; load %s): %s", rate, seconds,
                offeredNanos / 1e9, lateSends, loadAverage(), t.describe());
        check(t, "latency run");
        if (!complete) {
            return;
        }
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("offered_msgs_per_s", rate);
        lat.put("messages", count);
        lat.put("late_sends", lateSends);
        for (Map.Entry<String, long[]> e : List.of(Map.entry("durable_ack", t.ackLatencies()),
                Map.entry("one_way", t.oneWayLatencies()))) {
            long[] v = e.getValue();
            Map<String, Double> p = new LinkedHashMap<>();
            p.put("p50_ms", percentile(v, 50));
            p.put("p90_ms", percentile(v, 90));
            p.put("p99_ms", percentile(v, 99));
            p.put("max_ms", v.length == 0 ? Double.NaN : v[v.length - 1] / 1e6);
            lat.put(e.getKey(), p);
            rows.add(new String[] {"latency at " + rate + " msgs/s, " + size + " B", e.getKey() + " p50 / p90 / p99 / max, ms",
                    String.format(Locale.ROOT, "%.2f / %.2f / %.2f / %.2f", p.get("p50_ms"), p.get("p90_ms"),
                            p.get("p99_ms"), p.get("max_ms")), "", "", "1"});
        }
        byRate.put(Integer.toString(rate), lat);
    }

    private void check(MessageTraffic t, String what) {
        if (!t.exactlyOnce()) {
            correct = false;
            log("NOT exactly once in %s: %s", what, t.describe());
        }
    }

    /** Messages/s of traffic that ran at the same time: all messages / (last completion - first send). */
    private static double rate(List<MessageTraffic> traffic) {
        long first = Long.MAX_VALUE;
        long last = 0;
        long done = 0;
        for (MessageTraffic t : traffic) {
            first = Math.min(first, t.firstSend());
            last = Math.max(last, t.lastCompletion());
            done += Math.min(t.received.get(), t.delivered.get());
        }
        return last > first ? done * 1e9 / (last - first) : Double.NaN;
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private void row(String test, String metric, List<Double> values, int decimals) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        String f = "%." + decimals + "f";
        double median = v.length == 0 ? Double.NaN
                : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        rows.add(new String[] {test, metric, String.format(Locale.ROOT, f, median),
                String.format(Locale.ROOT, f, v.length == 0 ? Double.NaN : v[0]),
                String.format(Locale.ROOT, f, v.length == 0 ? Double.NaN : v[v.length - 1]), Integer.toString(v.length)});
    }

    private void printTable() {
        String format = "%-34s | %-48s | %27s | %8s | %8s | %4s%n";
        System.out.printf(format, "test", "metric", "median", "min", "max", "runs");
        System.out.println("-".repeat(142));
        for (String[] r : rows) {
            System.out.printf(format, (Object[]) r);
        }
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("load_at_start", loadAverage());
        return m;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return String.join(" ", Arrays.copyOf(f, 3));
        } catch (Exception e) {
            return "unknown";
        }
    }

    private String opt(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private int intOpt(String name, int fallback) {
        return Integer.parseInt(opt(name, Integer.toString(fallback)));
    }

    private static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
