package jarvis.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import jarvis.api.ConnectionState;
import jarvis.api.session.PeerNetwork;
import jarvis.crypto.X25519KeyPair;

/**
 * Session load on 127.0.0.1 (docs/benchmarks.md, "Sessions (issue 4)"). Subcommands:
 * <ul>
 * <li>{@code throughput}: two real session cores with their own TCP transports in this JVM, one session
 * between them; one side sends N application payloads through {@link PeerNetwork#send} with a bounded window
 * of outstanding sends, the other counts them. Payloads/s and MB/s per run.</li>
 * <li>{@code handshakes}: a daemon in a second JVM knowing K simulated peers; C threads here each run complete
 * IK handshakes (connect, message 1, message 2, PING, PONG, close) for a fixed time. Handshakes/s per run.</li>
 * <li>{@code hold}: a daemon in a second JVM; simulated peers here open N sessions in waves, confirm each one
 * (PING/PONG) and hold them idle; the daemon's heap after full GC and RSS before and after.</li>
 * <li>{@code all}: the three, then a table and one JSON line.</li>
 * <li>{@code daemon}: the second JVM itself (started by the other subcommands).</li>
 * </ul>
 * Options are {@code --name=value}; every loop is bounded by a count and a time cap.
 */
public final class SessionLoad {

    private static final int CONTENT_TYPE = PeerNetwork.FIRST_APPLICATION_TYPE;
    private static final List<String[]> ROWS = new ArrayList<>();
    private static final Map<String, Object> JSON = new LinkedHashMap<>();

    private SessionLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: SessionLoad throughput|handshakes|hold|all|daemon [--name=value ...]");
            System.exit(2);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.indexOf('=') < 0) {
                throw new IllegalArgumentException("options are --name=value, not " + a);
            }
            options.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        if (args[0].equals("daemon")) {
            DaemonProcess.runChild(options);
            System.exit(0);
        }
        configureLogging(options.getOrDefault("log", "WARNING"));
        JSON.put("machine", machine());
        switch (args[0]) {
            case "throughput":
                throughput(options);
                break;
            case "handshakes":
                handshakes(options);
                break;
            case "hold":
                hold(options);
                break;
            case "all":
                for (String test : options.getOrDefault("tests", "throughput,handshakes,hold").split(",")) {
                    switch (test) {
                        case "throughput" -> throughput(options);
                        case "handshakes" -> handshakes(options);
                        case "hold" -> hold(options);
                        default -> throw new IllegalArgumentException("unknown test " + test);
                    }
                }
                break;
            default:
                throw new IllegalArgumentException("unknown subcommand " + args[0]);
        }
        printTable();
        System.out.println("RESULT_JSON " + toJson(JSON));
        System.exit(0);
    }

    /** The session core logs every session at INFO; the runs keep WARNING and above (see the doc). */
    static void configureLogging(String level) {
        Logger root = Logger.getLogger("");
        Level l = Level.parse(level.toUpperCase(Locale.ROOT));
        root.setLevel(l);
        for (Handler h : root.getHandlers()) {
            h.setLevel(l);
        }
    }

    // ---- 1. records over one session ----

    private static void throughput(Map<String, String> o) throws Exception {
        int payloads = intOpt(o, "payloads", 200_000);
        int size = intOpt(o, "size", 1024);
        int window = intOpt(o, "window", 64);
        int unreceivedMax = intOpt(o, "in-flight", 1024);
        int runs = intOpt(o, "runs", 3);
        int capSeconds = intOpt(o, "cap", 60);
        int warmup = intOpt(o, "warmup-payloads", 20_000);
        log("throughput: %d payloads of %d bytes, window %d sends (at most %d unreceived), %d runs, cap %d s",
                payloads, size, window, unreceivedMax, runs, capSeconds);
        AtomicLong received = new AtomicLong();
        AtomicLong receivedBytes = new AtomicLong();
        AtomicLong lastReceipt = new AtomicLong();
        BenchSettings settings = new BenchSettings();
        try (LoadDaemon a = new LoadDaemon("a", settings, 512, 120, List.of(), null);
                LoadDaemon b = new LoadDaemon("b", settings, 512, 120, List.of(), (uid, type, payload) -> {
                    if (type == CONTENT_TYPE) {
                        receivedBytes.addAndGet(payload.length);
                        received.incrementAndGet();
                        lastReceipt.set(System.nanoTime());
                    }
                })) {
            b.know(a);
            a.know(b, b.endpoint());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!(a.core.state(b.identity.uid()) == ConnectionState.ONLINE
                    && b.core.state(a.identity.uid()) == ConnectionState.ONLINE)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no session between a and b within 15 s");
                }
                LoadDaemon.sleep(10);
            }
            byte[] payload = new byte[size];
            new SecureRandom().nextBytes(payload);
            List<Double> rates = new ArrayList<>();
            List<Map<String, Object>> runList = new ArrayList<>();
            long failures = 0;
            for (int run = -1; run < runs; run++) {
                int n = run < 0 ? warmup : payloads;
                double load = loadAverage();
                long cpu0 = DaemonProcess.processCpuNanos();
                long before = received.get();
                long t0 = System.nanoTime();
                long[] outcome = sendAll(a, b.identity.uid(), payload, n, window, unreceivedMax, received,
                        t0 + TimeUnit.SECONDS.toNanos(capSeconds));
                long expected = outcome[0];
                long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (received.get() - before < expected && System.nanoTime() < waitUntil) {
                    LoadDaemon.sleep(1);
                }
                long got = received.get() - before;
                double seconds = (lastReceipt.get() - t0) / 1e9;
                double cpuSeconds = (DaemonProcess.processCpuNanos() - cpu0) / 1e9;
                double rate = got / seconds;
                if (run < 0) {
                    log("  warm-up: %d payloads, %.0f payloads/s", got, rate);
                    continue;
                }
                failures += outcome[1] + (expected - got);
                rates.add(rate);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("payloads", got);
                r.put("seconds", round(seconds, 3));
                r.put("payloadsPerSecond", round(rate, 0));
                r.put("mbPerSecond", round(rate * size / 1e6, 2));
                r.put("rejectedAndRetried", outcome[2]);
                r.put("failed", outcome[1]);
                r.put("jvmCpuSecondsPerSecond", round(cpuSeconds / seconds, 2));
                r.put("load1", load);
                runList.add(r);
                log("  run %d: %d payloads in %.2f s: %.0f payloads/s, %.2f MB/s (%d full-queue refusals retried, "
                        + "%d failed), JVM CPU %.2f cores, load %.2f", run + 1, got, seconds, rate, rate * size / 1e6,
                        outcome[2], outcome[1], cpuSeconds / seconds, load);
            }
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("processes", "one JVM: two session cores, two TCP transports");
            j.put("payloadBytes", size);
            j.put("payloadsPerRun", payloads);
            j.put("window", window);
            j.put("payloadsPerSecondMedian", round(median(rates), 0));
            j.put("mbPerSecondMedian", round(median(rates) * size / 1e6, 2));
            j.put("failures", failures);
            j.put("runs", runList);
            JSON.put("throughput", j);
            row("records, 1 KiB payloads (one JVM)", "payloads/s", rates, 0);
            List<Double> mb = rates.stream().map(x -> x * size / 1e6).toList();
            row("records, 1 KiB payloads (one JVM)", "MB/s (10^6 B of payload)", mb, 2);
        }
    }

    /**
     * Sends until {@code n} payloads were accepted or the deadline passed, with at most {@code window} send
     * stages outstanding and at most {@code unreceivedMax} payloads sent but not yet received (the receiver's
     * per-link backlog is bounded, so a sender must not run ahead of it). A send refused because the link's
     * write queue is full is retried. Returns {accepted, failed, refused-and-retried}.
     */
    private static long[] sendAll(LoadDaemon from, String to, byte[] payload, int n, int window, int unreceivedMax,
            AtomicLong received, long deadline) throws InterruptedException {
        Semaphore permits = new Semaphore(window);
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long issued = 0;
        long receivedAtStart = received.get();
        long maxIssues = 2L * n + 1000;
        while (accepted.get() + (issued - accepted.get() - failed.get() - refused.get()) < n && issued < maxIssues
                && System.nanoTime() < deadline) {
            long inFlight = issued - refused.get() - failed.get() - (received.get() - receivedAtStart);
            if (inFlight >= unreceivedMax) {
                Thread.onSpinWait();
                continue;
            }
            if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            issued++;
            CompletionStage<Void> stage = from.core.send(to, CONTENT_TYPE, payload);
            stage.whenComplete((ok, error) -> {
                if (error == null) {
                    accepted.incrementAndGet();
                } else if (String.valueOf(error.getMessage()).contains("full queue")
                        || String.valueOf(error.getMessage()).contains("too many sends")) {
                    refused.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, String.valueOf(error));
                }
                permits.release();
            });
        }
        // Let the outstanding stages complete (bounded).
        if (!permits.tryAcquire(window, 30, TimeUnit.SECONDS)) {
            failed.addAndGet(window - permits.availablePermits());
        } else {
            permits.release(window);
        }
        if (firstError.get() != null) {
            log("  first send failure: %s", firstError.get());
        }
        return new long[] {accepted.get(), failed.get(), refused.get()};
    }

    // ---- 2. complete handshakes against one daemon ----

    private static void handshakes(Map<String, String> o) throws Exception {
        int contacts = intOpt(o, "contacts", 840);
        int[] concurrency = Arrays.stream(o.getOrDefault("concurrency", "2,4,8").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int duration = intOpt(o, "duration", 10);
        int runs = intOpt(o, "runs", 3);
        int warmup = intOpt(o, "warmup", 20);
        int maxConnections = intOpt(o, "max-connections", 512);
        int maxPending = intOpt(o, "max-pending", 256);
        long seed = new SecureRandom().nextLong();
        log("handshakes: daemon JVM with %d contacts (max.pending.handshakes %d, max.connections %d); "
                + "concurrency %s, %d runs of %d s after %d s warm-up", contacts, maxPending, maxConnections,
                Arrays.toString(concurrency), runs, duration, warmup);
        SimulatedPeer[] peers = simulatedPeers(seed, contacts);
        Map<String, String> daemonOptions = new LinkedHashMap<>();
        daemonOptions.put("contacts", Integer.toString(contacts));
        daemonOptions.put("seed", Long.toString(seed));
        daemonOptions.put("max-connections", Integer.toString(maxConnections));
        daemonOptions.put("max-pending", Integer.toString(maxPending));
        daemonOptions.put("log", o.getOrDefault("log", "WARNING"));
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("processes", "daemon JVM + load-driver JVM");
        j.put("contacts", contacts);
        j.put("maxPendingHandshakes", maxPending);
        j.put("maxConnections", maxConnections);
        j.put("runSeconds", duration);
        try (DaemonProcess daemon = DaemonProcess.start(jvmOptions(o), daemonOptions)) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), daemon.port);
            boolean first = true;
            for (int c : concurrency) {
                // The JIT warms up once; each later concurrency gets a short settling run.
                handshakeRun(daemon, address, peers, c, first ? warmup : Math.min(warmup, 3));
                first = false;
                List<Double> rates = new ArrayList<>();
                List<Double> perCpu = new ArrayList<>();
                List<Map<String, Object>> runList = new ArrayList<>();
                long failures = 0;
                for (int run = 0; run < runs; run++) {
                    double load = loadAverage();
                    Map<String, String> s0 = daemon.ask("STATS");
                    long driverCpu0 = DaemonProcess.processCpuNanos();
                    long[] result = handshakeRun(daemon, address, peers, c, duration);
                    long driverCpu1 = DaemonProcess.processCpuNanos();
                    LoadDaemon.sleep(300);
                    Map<String, String> s1 = daemon.ask("STATS");
                    double seconds = result[2] / 1e9;
                    double rate = result[0] / seconds;
                    double daemonCpu = delta(s0, s1, "processCpuNanos") / 1e9;
                    double sessionCpu = delta(s0, s1, "sessionCpuNanos") / 1e9;
                    double ioCpu = delta(s0, s1, "ioCpuNanos") / 1e9;
                    long daemonConfirmed = delta(s0, s1, "onlineTotal");
                    long security = delta(s0, s1, "security");
                    long runFailures = result[1] + security + Math.max(0, result[0] - daemonConfirmed);
                    failures += runFailures;
                    rates.add(rate);
                    perCpu.add(result[0] / daemonCpu);
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("handshakes", result[0]);
                    r.put("seconds", round(seconds, 3));
                    r.put("perSecond", round(rate, 0));
                    r.put("failures", runFailures);
                    r.put("daemonConfirmed", daemonConfirmed);
                    r.put("daemonCpuCores", round(daemonCpu / seconds, 2));
                    r.put("daemonCpuMicrosPerHandshake", round(daemonCpu * 1e6 / result[0], 0));
                    r.put("sessionThreadMicrosPerHandshake", round(sessionCpu * 1e6 / result[0], 0));
                    r.put("ioThreadsMicrosPerHandshake", round(ioCpu * 1e6 / result[0], 0));
                    r.put("handshakesPerDaemonCpuSecond", round(result[0] / daemonCpu, 0));
                    r.put("driverCpuCores", round((driverCpu1 - driverCpu0) / 1e9 / seconds, 2));
                    r.put("load1", load);
                    runList.add(r);
                    log("  C=%d run %d: %d handshakes in %.2f s: %.0f/s, %d failures (daemon confirmed %d, %d "
                            + "security events); daemon CPU %.2f cores = %.0f us/handshake (session thread %.0f us, "
                            + "TCP loops %.0f us) = %.0f handshakes per daemon CPU-second; driver CPU %.2f cores; "
                            + "load %.2f%s", c, run + 1, result[0], seconds, rate, runFailures, daemonConfirmed,
                            security, daemonCpu / seconds, daemonCpu * 1e6 / result[0], sessionCpu * 1e6 / result[0],
                            ioCpu * 1e6 / result[0], result[0] / daemonCpu, (driverCpu1 - driverCpu0) / 1e9 / seconds,
                            load, security > 0 ? " last security event: " + s1.get("lastSecurity") : "");
                }
                Map<String, Object> jc = new LinkedHashMap<>();
                jc.put("perSecondMedian", round(median(rates), 0));
                jc.put("perDaemonCpuSecondMedian", round(median(perCpu), 0));
                jc.put("failures", failures);
                jc.put("runs", runList);
                j.put("C=" + c, jc);
                row("complete IK handshakes, C=" + c + " (2 JVMs)", "handshakes/s", rates, 0);
                row("complete IK handshakes, C=" + c + " (2 JVMs)", "per daemon CPU-second", perCpu, 0);
                ROWS.add(new String[] {"complete IK handshakes, C=" + c, "failures", Long.toString(failures), "", "",
                        ""});
            }
        }
        JSON.put("handshakes", j);
    }

    /** C threads, each with its own slice of the peers, run complete handshakes for {@code seconds}. */
    private static long[] handshakeRun(DaemonProcess daemon, InetSocketAddress address, SimulatedPeer[] peers, int c,
            int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(c);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong end = new AtomicLong(start);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < c; t++) {
            int from = t * peers.length / c;
            int to = (t + 1) * peers.length / c;
            futures.add(pool.submit(() -> {
                int i = from;
                // Bounded by the deadline; the count bound is a backstop (far above any rate reachable here).
                for (long k = 0; k < 10_000_000L && System.nanoTime() < deadline; k++) {
                    try (SimulatedPeer.Session s = peers[i].open(address, daemon.publicKey, 10_000)) {
                        ok.incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                    i = i + 1 < to ? i + 1 : from;
                }
                end.accumulateAndGet(System.nanoTime(), Math::max);
            }));
        }
        for (Future<?> f : futures) {
            f.get(seconds + 60L, TimeUnit.SECONDS);
        }
        pool.shutdown();
        if (firstError.get() != null) {
            log("  first handshake failure: %s", firstError.get());
        }
        return new long[] {ok.get(), failed.get(), end.get() - start};
    }

    // ---- 3. idle sessions held by one daemon ----

    private static void hold(Map<String, String> o) throws Exception {
        int sessions = intOpt(o, "sessions", 10_000);
        int concurrency = intOpt(o, "hold-concurrency", 16);
        int wave = intOpt(o, "wave", 500);
        int keepalive = intOpt(o, "hold-keepalive", 300);
        int maxPending = intOpt(o, "hold-max-pending", 256);
        int maxConnections = intOpt(o, "hold-max-connections", sessions + 256);
        long seed = new SecureRandom().nextLong();
        log("hold: %d sessions in waves of %d (%d at once), keepalive %d s, max.pending.handshakes %d, "
                + "max.connections %d", sessions, wave, concurrency, keepalive, maxPending, maxConnections);
        SimulatedPeer[] peers = simulatedPeers(seed, sessions);
        Map<String, String> daemonOptions = new LinkedHashMap<>();
        daemonOptions.put("contacts", Integer.toString(sessions));
        daemonOptions.put("seed", Long.toString(seed));
        daemonOptions.put("max-connections", Integer.toString(maxConnections));
        daemonOptions.put("max-pending", Integer.toString(maxPending));
        daemonOptions.put("keepalive", Integer.toString(keepalive));
        daemonOptions.put("dead", Integer.toString(keepalive * 3));
        daemonOptions.put("idle", Integer.toString(keepalive * 6));
        daemonOptions.put("log", o.getOrDefault("log", "WARNING"));
        Socket[] held = new Socket[sessions];
        Map<String, Object> j = new LinkedHashMap<>();
        try (DaemonProcess daemon = DaemonProcess.start(jvmOptions(o), daemonOptions)) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), daemon.port);
            Map<String, String> base = daemon.ask("GC");
            daemon.ask("HISTO_BASE");
            log("  daemon pid %d, %d contacts loaded: heap after GC %s (committed %s), RSS %s kB, %s threads, %s fds",
                    daemon.pid(), sessions, base.get("heap"), base.get("heapCommitted"), base.get("rssKb"),
                    base.get("threads"), base.get("fds"));
            double load0 = loadAverage();
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            AtomicLong failed = new AtomicLong();
            AtomicReference<String> firstError = new AtomicReference<>();
            try {
                for (int first = 0; first < sessions; first += wave) {
                    int last = Math.min(sessions, first + wave);
                    List<Future<?>> futures = new ArrayList<>();
                    for (int t = 0; t < concurrency; t++) {
                        int from = first + t * (last - first) / concurrency;
                        int to = first + (t + 1) * (last - first) / concurrency;
                        futures.add(pool.submit(() -> {
                            for (int i = from; i < to; i++) {
                                // One retry per peer: a failure is counted, not hidden.
                                for (int attempt = 0; attempt < 2 && held[i] == null; attempt++) {
                                    try {
                                        SimulatedPeer.Session s = peers[i].open(address, daemon.publicKey, 30_000);
                                        s.cipher().close();
                                        held[i] = s.socket();
                                    } catch (Exception e) {
                                        failed.incrementAndGet();
                                        firstError.compareAndSet(null, "peer " + i + ": " + e);
                                    }
                                }
                            }
                        }));
                    }
                    for (Future<?> f : futures) {
                        f.get(600, TimeUnit.SECONDS);
                    }
                    if (failed.get() > 0 && first == 0) {
                        log("  failures in the first wave: %s", firstError.get());
                    }
                }
            } finally {
                pool.shutdown();
            }
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            long opened = Arrays.stream(held).filter(s -> s != null).count();
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Map<String, String> stats = daemon.ask("STATS");
            while (Long.parseLong(stats.get("online")) < opened && System.nanoTime() < waitUntil) {
                LoadDaemon.sleep(200);
                stats = daemon.ask("STATS");
            }
            long online = Long.parseLong(stats.get("online"));
            log("  opened %d sessions in %.1f s (%.0f/s), %d failed attempts%s; daemon: %d online, %s wires, "
                    + "%s pending, %s security events", opened, openSeconds, opened / openSeconds, failed.get(),
                    firstError.get() == null ? "" : " (first: " + firstError.get() + ")", online, stats.get("wires"),
                    stats.get("pending"), stats.get("security"));
            double load1 = loadAverage();
            Map<String, String> after = daemon.ask("GC");
            List<String> histo = daemon.askLines("HISTO_DIFF 25 " + Math.max(1, online));
            Map<String, String> afterHisto = daemon.ask("GC");
            long heapDelta = Long.parseLong(after.get("heap")) - Long.parseLong(base.get("heap"));
            long rssDeltaKb = Long.parseLong(after.get("rssKb")) - Long.parseLong(base.get("rssKb"));
            long nettyDelta = Long.parseLong(after.get("directNetty")) - Long.parseLong(base.get("directNetty"));
            double heapPer = heapDelta / (double) Math.max(1, online);
            double rssPer = rssDeltaKb * 1024.0 / Math.max(1, online);
            log("  after: heap %s (committed %s), RSS %s kB, %s threads, %s fds, Netty direct %s B",
                    after.get("heap"), after.get("heapCommitted"), after.get("rssKb"), after.get("threads"),
                    after.get("fds"), after.get("directNetty"));
            log("  heap per idle session %.0f B (%.2f KiB), RSS per session %.0f B (%.2f KiB), Netty direct per "
                    + "session %.0f B; heap after the histogram's GC %s", heapPer, heapPer / 1024, rssPer, rssPer / 1024,
                    nettyDelta / (double) Math.max(1, online), afterHisto.get("heap"));
            log("  class histogram difference (daemon, after minus before, per online session):");
            for (String l : histo) {
                log("    %s", l);
            }
            j.put("processes", "daemon JVM + load-driver JVM");
            j.put("target", sessions);
            j.put("opened", opened);
            j.put("online", online);
            j.put("failedAttempts", failed.get());
            j.put("openSeconds", round(openSeconds, 1));
            j.put("keepaliveSeconds", keepalive);
            j.put("maxPendingHandshakes", maxPending);
            j.put("maxConnections", maxConnections);
            j.put("heapBefore", Long.parseLong(base.get("heap")));
            j.put("heapAfter", Long.parseLong(after.get("heap")));
            j.put("heapPerSessionBytes", round(heapPer, 0));
            j.put("rssBeforeKb", Long.parseLong(base.get("rssKb")));
            j.put("rssAfterKb", Long.parseLong(after.get("rssKb")));
            j.put("rssPerSessionBytes", round(rssPer, 0));
            j.put("nettyDirectPerSessionBytes", round(nettyDelta / (double) Math.max(1, online), 0));
            j.put("heapCommittedBefore", Long.parseLong(base.get("heapCommitted")));
            j.put("heapCommittedAfter", Long.parseLong(after.get("heapCommitted")));
            j.put("load1Open", load0);
            j.put("load1Hold", load1);
            j.put("histogram", histo);
            ROWS.add(new String[] {"idle sessions held (2 JVMs)", "sessions online / target", online + " / " + sessions,
                    "", "", "1"});
            ROWS.add(new String[] {"idle sessions held", "heap per session (B, after full GC)",
                    String.format("%.0f", heapPer), "", "", "1"});
            ROWS.add(new String[] {"idle sessions held", "RSS per session (B)", String.format("%.0f", rssPer), "", "",
                    "1"});
        } finally {
            for (Socket s : held) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                }
            }
        }
        JSON.put("hold", j);
    }

    // ---- helpers ----

    private static SimulatedPeer[] simulatedPeers(long seed, int count) {
        SecureRandom random = new SecureRandom();
        SimulatedPeer[] peers = new SimulatedPeer[count];
        for (int i = 0; i < count; i++) {
            X25519KeyPair keys = BenchKeys.key(seed, i);
            peers[i] = new SimulatedPeer(keys, BenchKeys.uid(seed, i), BenchKeys.username(i), random);
        }
        return peers;
    }

    private static List<String> jvmOptions(Map<String, String> o) {
        String opts = o.getOrDefault("daemon-jvm", "");
        return opts.isBlank() ? List.of() : Arrays.asList(opts.trim().split("\\s+"));
    }

    private static long delta(Map<String, String> a, Map<String, String> b, String key) {
        return Long.parseLong(b.get(key)) - Long.parseLong(a.get(key));
    }

    private static int intOpt(Map<String, String> o, String key, int def) {
        return Integer.parseInt(o.getOrDefault(key, Integer.toString(def)).replace("_", ""));
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        try {
            m.put("cpu", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?"));
            m.put("memTotalKb", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D", ""));
        } catch (IOException e) {
            m.put("cpu", "?");
        }
        m.put("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        return m;
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void row(String test, String metric, List<Double> values, int decimals) {
        String f = "%." + decimals + "f";
        ROWS.add(new String[] {test, metric, String.format(f, median(values)),
                String.format(f, values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN)),
                String.format(f, values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)),
                Integer.toString(values.size())});
    }

    private static void printTable() {
        String format = "%-44s | %-38s | %14s | %10s | %10s | %4s%n";
        System.out.printf(format, "test", "metric", "median", "min", "max", "runs");
        System.out.println("-".repeat(132));
        for (String[] r : ROWS) {
            System.out.printf(format, (Object[]) r);
        }
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    private static String toJson(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder b = new StringBuilder("{");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(toJson(String.valueOf(e.getKey()))).append(':').append(toJson(e.getValue()));
            }
            return b.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (Object o : list) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(toJson(o));
            }
            return b.append(']').toString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        String s = String.valueOf(value).replaceAll("\\s+", " ").trim();
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
