package jarvis.testing.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * A small, dependency-free fuzzing harness for JUnit tests (docs/testing.md, "Fuzzing").
 *
 * <p>A target is a check that takes one input: it must return (the input was accepted) or throw one of the
 * target's documented exception types (the input was refused). Every other outcome fails the test with the
 * input, saved under {@code target/fuzz-findings/<target>/}, and the seed that reproduces the run: any other
 * exception or error (a {@code NullPointerException}, an {@code IndexOutOfBoundsException}, an
 * {@code OutOfMemoryError}, a failed assertion inside the check), a try that runs past its timeout (it is
 * interrupted: a hang), or a try that allocates more heap than the target's allocation bound for that input.
 *
 * <p>Inputs: first every file of the seed corpus {@code /fuzz/<target>/} on the test class path, verbatim
 * (files named {@code valid-*} must be accepted, {@code bad-*} refused); then, until the budget is spent,
 * mutations of corpus files (about two thirds) and random inputs.
 *
 * <p>Budget: {@link #tries} per target by default, so a normal build stays fast; {@code -Djarvis.fuzz.tries=N}
 * changes it, and {@code -Djarvis.fuzz.seconds=S} makes every target run for S seconds instead.
 * {@code -Djarvis.fuzz.seed=N} repeats a run.
 */
public final class Fuzz {

    public static final String TRIES_PROPERTY = "jarvis.fuzz.tries";
    public static final String SECONDS_PROPERTY = "jarvis.fuzz.seconds";
    public static final String SEED_PROPERTY = "jarvis.fuzz.seed";
    public static final String FINDINGS_PROPERTY = "jarvis.fuzz.findings";

    /** A check of one input. */
    @FunctionalInterface
    public interface Check {
        void run(byte[] input) throws Throwable;
    }

    /** A check of one generated value (round trips): every exception fails. */
    @FunctionalInterface
    public interface Property {
        void run(Random random) throws Throwable;
    }

    /** What a run did; printed as one line and returned for assertions. */
    public record Report(String target, int tries, int corpusTries, int mutatedTries, int randomTries, int accepted,
            Map<String, Integer> refused, long maxAllocatedBytes, long seed, Duration elapsed) {

        public int refusedTotal() {
            return refused.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public String toString() {
            return String.format("[fuzz] %s: %d tries in %.1f s (%d corpus, %d mutated, %d random); accepted %d, "
                    + "refused %d %s; largest allocation %d KiB; seed %d", target, tries,
                    elapsed.toMillis() / 1000.0, corpusTries, mutatedTries, randomTries, accepted, refusedTotal(),
                    refused, maxAllocatedBytes / 1024, seed);
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final String name;
    private String corpusName;
    private List<Class<? extends Throwable>> documented = List.of();
    private int tries = 1000;
    private Duration timeout = Duration.ofSeconds(5);
    private ToLongFunction<byte[]> allocationLimit = input -> (64L << 20) + 64L * input.length;
    private long[] interesting = new long[0];
    private List<byte[]> dictionary = List.of();
    private int maxRandomLength = 512;
    private int maxLength = 1 << 20;
    private final List<Seed> extraSeeds = new ArrayList<>();

    private record Seed(String name, byte[] bytes) {
    }

    private Fuzz(String name) {
        this.name = name;
        this.corpusName = name;
    }

    /** Uses the seed corpus of another target (the same inputs checked another way). */
    public Fuzz corpusOf(String target) {
        this.corpusName = target;
        return this;
    }

    /** A target whose seed corpus is {@code /fuzz/<name>/} on the test class path. */
    public static Fuzz target(String name) {
        return new Fuzz(name);
    }

    /** The exception types the code documents for bad input (subclasses included). */
    @SafeVarargs
    public final Fuzz documented(Class<? extends Throwable>... types) {
        this.documented = List.of(types);
        return this;
    }

    /** Tries of a default run (corpus files included). */
    public Fuzz tries(int tries) {
        this.tries = tries;
        return this;
    }

    /** Longest a single try may run before it counts as a hang. */
    public Fuzz timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Most heap one try may allocate, given its input (bytes, as counted by the JVM for the try's thread). */
    public Fuzz maxAllocation(ToLongFunction<byte[]> limit) {
        this.allocationLimit = limit;
        return this;
    }

    /** Documented limits of the format: written (and limit + 1) over fields by the mutator. */
    public Fuzz interesting(long... values) {
        this.interesting = values.clone();
        return this;
    }

    /** Tokens of the format for the mutator. */
    public Fuzz dictionary(List<byte[]> tokens) {
        this.dictionary = List.copyOf(tokens);
        return this;
    }

    /** Typical length of a random input, and the length no input exceeds. */
    public Fuzz lengths(int maxRandomLength, int maxLength) {
        this.maxRandomLength = maxRandomLength;
        this.maxLength = maxLength;
        return this;
    }

    /** A seed made at run time (in addition to the committed corpus): mutated, and run verbatim first. */
    public Fuzz seed(String seedName, byte[] bytes) {
        extraSeeds.add(new Seed(seedName, bytes.clone()));
        return this;
    }

    /** The committed corpus of this target, sorted by file name. */
    public List<byte[]> corpus() {
        return loadCorpus().stream().map(Seed::bytes).toList();
    }

    /** Runs the check on the corpus, mutations and random inputs; fails the calling test on any finding. */
    public Report run(Check check) {
        List<Seed> seeds = new ArrayList<>(loadCorpus());
        if (seeds.isEmpty()) {
            throw new AssertionError("no seed corpus for fuzz target " + name + " (expected /fuzz/" + corpusName + "/)");
        }
        seeds.addAll(extraSeeds);
        long seed = seed();
        Random random = new Random(seed);
        Mutator mutator = new Mutator(interesting, dictionary, maxRandomLength, maxLength);
        Budget budget = new Budget(tries);
        int corpusTries = 0;
        int mutated = 0;
        int randomTries = 0;
        int accepted = 0;
        long maxAllocated = 0;
        Map<String, Integer> refused = new TreeMap<>();
        long start = System.nanoTime();
        ExecutorService worker = worker();
        try {
            int i = 0;
            for (; budget.more(i, start) || i < seeds.size(); i++) {
                byte[] input;
                String origin;
                if (i < seeds.size()) {
                    input = seeds.get(i).bytes();
                    origin = "corpus file " + seeds.get(i).name();
                    corpusTries++;
                } else if (random.nextInt(3) < 2) {
                    Seed base = seeds.get(random.nextInt(seeds.size()));
                    input = mutator.mutate(base.bytes(), seeds.get(random.nextInt(seeds.size())).bytes(), random);
                    origin = "mutation of " + base.name();
                    mutated++;
                } else {
                    input = mutator.random(random);
                    origin = "random input";
                    randomTries++;
                }
                Outcome outcome = runOne(worker, () -> check.run(input), origin, input, seed);
                if (outcome.thrown == null) {
                    accepted++;
                } else if (isDocumented(outcome.thrown)) {
                    refused.merge(outcome.thrown.getClass().getSimpleName(), 1, Integer::sum);
                } else {
                    throw finding(input, seed, origin + " threw " + outcome.thrown
                            + ", which is not a documented exception " + names(documented), outcome.thrown);
                }
                long limit = allocationLimit.applyAsLong(input);
                if (outcome.allocated > limit) {
                    // Once more: the first use of a class (loading, static caches) allocates only once.
                    long again = runOne(worker, () -> check.run(input), origin, input, seed).allocated;
                    if (again > limit) {
                        throw finding(input, seed, origin + " allocated " + again + " bytes for a "
                                + input.length + "-byte input; the bound is " + limit, null);
                    }
                    outcome = new Outcome(outcome.thrown, again);
                }
                maxAllocated = Math.max(maxAllocated, outcome.allocated);
                if (i < seeds.size()) {
                    checkSeedExpectation(seeds.get(i), outcome, seed);
                }
            }
            Report report = new Report(name, i, corpusTries, mutated, randomTries, accepted, refused, maxAllocated,
                    seed, Duration.ofNanos(System.nanoTime() - start));
            System.out.println(report);
            return report;
        } finally {
            worker.shutdownNow();
        }
    }

    /**
     * Runs a generated property (a round trip) {@link #tries} times, or for {@code jarvis.fuzz.seconds}; each try
     * gets its own {@link Random}. Any exception, a timeout or an allocation over the bound fails.
     */
    public Report property(Property property) {
        long seed = seed();
        Random master = new Random(seed);
        Budget budget = new Budget(tries);
        long start = System.nanoTime();
        long maxAllocated = 0;
        ExecutorService worker = worker();
        try {
            int i = 0;
            for (; budget.more(i, start); i++) {
                long trySeed = master.nextLong();
                byte[] label = Long.toString(trySeed).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                Outcome outcome = runOne(worker, () -> property.run(new Random(trySeed)), "property try", label, seed);
                if (outcome.thrown != null) {
                    throw finding(label, seed, "property try with random seed " + trySeed + " failed: " + outcome.thrown,
                            outcome.thrown);
                }
                long limit = allocationLimit.applyAsLong(new byte[0]);
                if (outcome.allocated > limit) {
                    long again = runOne(worker, () -> property.run(new Random(trySeed)), "property try", label,
                            seed).allocated;
                    if (again > limit) {
                        throw finding(label, seed, "property try with random seed " + trySeed + " allocated "
                                + again + " bytes; the bound is " + limit, null);
                    }
                    outcome = new Outcome(null, again);
                }
                maxAllocated = Math.max(maxAllocated, outcome.allocated);
            }
            Report report = new Report(name, i, 0, 0, i, i, Map.of(), maxAllocated, seed,
                    Duration.ofNanos(System.nanoTime() - start));
            System.out.println(report);
            return report;
        } finally {
            worker.shutdownNow();
        }
    }

    /** Set to {@code true} to (re)write the seed corpora from the real encoders ({@link #writeCorpus}). */
    public static final String WRITE_CORPUS_PROPERTY = "jarvis.fuzz.writeCorpus";

    /**
     * Writes {@code files} as the seed corpus of {@code target} into {@code src/test/resources/fuzz/<target>/} of the
     * module under test (the working directory of its tests), replacing the files of the same names.
     */
    public static void writeCorpus(String target, Map<String, byte[]> files) throws IOException {
        Path dir = Paths.get("src", "test", "resources", "fuzz", target);
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
        System.out.println("[fuzz] wrote " + files.size() + " corpus files to " + dir.toAbsolutePath());
    }

    /** The tries a default run makes, or {@code jarvis.fuzz.tries}. */
    public static int defaultTries(int tries) {
        return Integer.getInteger(TRIES_PROPERTY, tries);
    }

    /** Seconds each target runs for ({@code jarvis.fuzz.seconds}), 0 when the run counts tries. */
    public static long seconds() {
        return Long.getLong(SECONDS_PROPERTY, 0L);
    }

    private interface Body {
        void run() throws Throwable;
    }

    private record Outcome(Throwable thrown, long allocated) {
    }

    private Outcome runOne(ExecutorService worker, Body body, String origin, byte[] input, long seed) {
        Future<Outcome> future = worker.submit(() -> {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            Throwable thrown = null;
            try {
                body.run();
            } catch (Throwable t) {
                thrown = t;
            }
            return new Outcome(thrown, THREADS.getCurrentThreadAllocatedBytes() - before);
        });
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw finding(input, seed, origin + " did not finish within " + timeout.toMillis() + " ms (a hang)", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    private void checkSeedExpectation(Seed seed, Outcome outcome, long runSeed) {
        if (seed.name().startsWith("valid-") && outcome.thrown != null) {
            throw finding(seed.bytes(), runSeed, "corpus file " + seed.name() + " is valid but was refused: "
                    + outcome.thrown, outcome.thrown);
        }
        if (seed.name().startsWith("bad-") && outcome.thrown == null) {
            throw finding(seed.bytes(), runSeed, "corpus file " + seed.name() + " is bad but was accepted", null);
        }
    }

    private boolean isDocumented(Throwable t) {
        return documented.stream().anyMatch(type -> type.isInstance(t));
    }

    private AssertionError finding(byte[] input, long seed, String what, Throwable cause) {
        String saved;
        try {
            Path dir = Paths.get(System.getProperty(FINDINGS_PROPERTY, "target/fuzz-findings"), name);
            Files.createDirectories(dir);
            Path file = dir.resolve("finding-" + sha256(input).substring(0, 16));
            Files.write(file, input);
            saved = file.toAbsolutePath().toString();
        } catch (IOException e) {
            saved = "(not saved: " + e.getMessage() + ")";
        }
        String b64 = Base64.getEncoder().encodeToString(input.length > 2048 ? Arrays.copyOf(input, 2048) : input);
        AssertionError error = new AssertionError("fuzz target " + name + ": " + what + "\n  input (" + input.length
                + " bytes" + (input.length > 2048 ? ", first 2048 in base64" : ", base64") + "): " + b64
                + "\n  saved to " + saved + "\n  repeat the run with -D" + SEED_PROPERTY + "=" + seed
                + "; keep the input as a regression by copying it into src/test/resources/fuzz/" + name + "/");
        if (cause != null) {
            error.initCause(cause);
        }
        return error;
    }

    private List<Seed> loadCorpus() {
        URL url = Fuzz.class.getResource("/fuzz/" + corpusName);
        if (url == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Paths.get(url.toURI()))) {
            List<Seed> seeds = new ArrayList<>();
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                seeds.add(new Seed(p.getFileName().toString(), Files.readAllBytes(p)));
            }
            return seeds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long seed() {
        Long fixed = Long.getLong(SEED_PROPERTY);
        return fixed != null ? fixed : new Random().nextLong();
    }

    private ExecutorService worker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    private static String names(List<Class<? extends Throwable>> types) {
        return types.stream().map(Class::getSimpleName).toList().toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts tries, or time when {@code jarvis.fuzz.seconds} is set. */
    private static final class Budget {
        private final int tries;
        private final long nanos;

        Budget(int defaultTries) {
            this.tries = defaultTries(defaultTries);
            this.nanos = TimeUnit.SECONDS.toNanos(seconds());
        }

        boolean more(int done, long start) {
            return nanos > 0 ? System.nanoTime() - start < nanos : done < tries;
        }
    }
}
