package jarvis.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jarvis.crypto.AuthenticationFailedException;
import jarvis.crypto.CryptoException;
import jarvis.crypto.FiveLayerCipher;
import jarvis.crypto.ReceivedRecord;
import jarvis.crypto.ReplayedRecordException;
import jarvis.crypto.Role;
import jarvis.crypto.TransportKeys;
import jarvis.testing.fuzz.Fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Stateful test of one direction of the record layer: random sequences of actions (seal, deliver, drop,
 * duplicate, reorder, rekey) over an in-memory network, each delivery compared with a reference model of
 * docs/protocol.md §3.4 (replay window of 64, current and next epoch only). Checks that every opened record is
 * exactly what was sealed, that no record opens twice, and that every refusal is the documented one.
 */
class RecordLayerActionSequenceTest {

    private enum Action { SEAL, DELIVER, DROP, DUPLICATE, REORDER, REKEY, BURST }

    private record Sent(int type, long epoch, long counter, byte[] plaintext, byte[] record) {
    }

    /** §3.4 for one receiving direction. */
    private static final class Model {
        long epoch;
        long highest = -1;
        final Set<Long> seen = new HashSet<>();

        /** null: accepted; otherwise the exception type the receiver must throw. */
        Class<? extends CryptoException> expect(Sent s) {
            if (s.epoch() == epoch) {
                if (s.counter() <= highest && (highest - s.counter() >= FiveLayerCipher.REPLAY_WINDOW
                        || seen.contains(s.counter()))) {
                    return ReplayedRecordException.class;
                }
                return null;
            }
            if (s.epoch() == epoch + 1) {
                return null;
            }
            return s.epoch() < epoch ? ReplayedRecordException.class : AuthenticationFailedException.class;
        }

        void accept(Sent s) {
            if (s.epoch() != epoch) {
                epoch = s.epoch();
                highest = -1;
                seen.clear();
            }
            highest = Math.max(highest, s.counter());
            seen.add(s.counter());
        }
    }

    @Test
    void randomActionSequencesDeliverEachSealedRecordAtMostOnceAndExactlyAsTheModelSays() {
        int[] stats = new int[3];
        Fuzz.Report report = Fuzz.target("record-layer-actions").tries(200)
                // A sequence seals and opens up to a few thousand records: allocation is not what this test bounds.
                .maxAllocation(input -> 1L << 30).property(random -> {
            byte[][] parts = new byte[3][32];
            for (byte[] p : parts) {
                random.nextBytes(p);
            }
            TransportKeys keys = TransportKeys.of(parts[0], parts[1], parts[2]);
            try (FiveLayerRecordCipher sender = new FiveLayerRecordCipher(keys, Role.INITIATOR);
                    FiveLayerRecordCipher receiver = new FiveLayerRecordCipher(keys, Role.RESPONDER)) {
                run(sender, receiver, random, stats);
            }
        });
        assertThat(report.tries()).isPositive();
        // The sequences reach every kind of outcome: accepted, replayed, and an epoch skipped by two rekeys.
        assertThat(stats[0]).as("records accepted").isPositive();
        assertThat(stats[1]).as("replays refused").isPositive();
        assertThat(stats[2]).as("future epochs refused").isPositive();
    }

    private static void run(FiveLayerRecordCipher sender, FiveLayerRecordCipher receiver, Random random, int[] stats)
            throws CryptoException {
        Model model = new Model();
        List<Sent> network = new ArrayList<>();
        List<Sent> delivered = new ArrayList<>();
        Set<String> opened = new HashSet<>();
        long epoch = 0;
        long counter = 0;
        boolean rekeyRequested = false;
        int actions = 20 + random.nextInt(100);
        for (int step = 0; step < actions; step++) {
            Action action = Action.values()[random.nextInt(Action.values().length)];
            switch (action) {
                case SEAL, BURST -> {
                    int n = action == Action.BURST ? 1 + random.nextInt(80) : 1;
                    for (int i = 0; i < n; i++) {
                        if (rekeyRequested) {
                            epoch++;
                            counter = 0;
                            rekeyRequested = false;
                        }
                        byte[] plaintext = new byte[random.nextInt(64)];
                        random.nextBytes(plaintext);
                        int type = random.nextInt(256);
                        network.add(new Sent(type, epoch, counter++, plaintext, sender.seal(type, plaintext)));
                    }
                }
                case DELIVER -> {
                    if (!network.isEmpty()) {
                        Sent s = network.remove(random.nextInt(4) == 0 ? random.nextInt(network.size()) : 0);
                        deliver(receiver, model, s, opened, stats);
                        delivered.add(s);
                    }
                }
                case DROP -> {
                    if (!network.isEmpty()) {
                        network.remove(random.nextInt(network.size()));
                    }
                }
                case DUPLICATE -> {
                    List<Sent> pool = random.nextBoolean() || network.isEmpty() ? delivered : network;
                    if (!pool.isEmpty()) {
                        network.add(random.nextInt(network.size() + 1), pool.get(random.nextInt(pool.size())));
                    }
                }
                case REORDER -> {
                    if (network.size() > 1) {
                        int a = random.nextInt(network.size());
                        int b = random.nextInt(network.size());
                        Sent t = network.get(a);
                        network.set(a, network.get(b));
                        network.set(b, t);
                    }
                }
                case REKEY -> {
                    sender.rekeySending();
                    rekeyRequested = true;
                }
            }
        }
        while (!network.isEmpty()) {
            deliver(receiver, model, network.remove(0), opened, stats);
        }
    }

    private static void deliver(FiveLayerRecordCipher receiver, Model model, Sent s, Set<String> opened, int[] stats) {
        Class<? extends CryptoException> expected = model.expect(s);
        try {
            ReceivedRecord got = receiver.open(s.record());
            assertThat(expected).as("epoch %d counter %d opened, the model expected %s", s.epoch(), s.counter(),
                    expected).isNull();
            assertThat(got.contentType()).isEqualTo(s.type());
            assertThat(got.epoch()).isEqualTo(s.epoch());
            assertThat(got.counter()).isEqualTo(s.counter());
            assertThat(Arrays.equals(got.payload(), s.plaintext())).as("payload as sealed").isTrue();
            assertThat(opened.add(s.epoch() + "/" + s.counter())).as("opened exactly once").isTrue();
            model.accept(s);
            stats[0]++;
        } catch (CryptoException e) {
            assertThat(e).as("epoch %d counter %d", s.epoch(), s.counter()).isInstanceOf(
                    expected == null ? NoRefusal.class : expected);
            stats[e instanceof ReplayedRecordException ? 1 : 2]++;
        }
    }

    /** Stands for "no exception was expected" in the assertion above. */
    private static final class NoRefusal extends CryptoException {
        private static final long serialVersionUID = 1L;

        NoRefusal() {
            super("none");
        }
    }
}
