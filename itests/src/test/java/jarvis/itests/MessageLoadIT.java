package jarvis.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import jarvis.bench.MessageLoad;

/**
 * A short run of the load driver against three daemons of the distribution (one receiver, two senders), to keep
 * it working: it asserts only that every message arrived exactly once, unchanged and DELIVERED, never a time.
 */
public class MessageLoadIT {

    @Test
    public void everyMessageOfAShortLoadRunIsDeliveredExactlyOnce() throws Exception {
        Path dist = Distribution.unpacked();
        Path work = Files.createTempDirectory(Distribution.work(), "load");
        Map<String, Object> result = MessageLoad.measure(Map.ofEntries(
                Map.entry("dist", dist.toString()),
                Map.entry("work", work.toString()),
                Map.entry("peers", "2"),
                Map.entry("warmup", "50"),
                Map.entry("messages", "200"),
                Map.entry("runs", "1"),
                Map.entry("rate", "100"),
                Map.entry("latency-seconds", "1"),
                Map.entry("fanin-messages", "200"),
                Map.entry("fanin-runs", "1"),
                Map.entry("unlocks", "1"),
                Map.entry("cap", "120")));
        assertEquals(result.toString(), Boolean.TRUE, result.get("exactly_once"));
        assertEquals(result.toString(), 1, ((List<?>) result.get("one_to_one_msgs_per_s")).size());
        assertEquals(result.toString(), 2, result.get("fan_in_senders"));
        assertTrue(result.toString(), ((Map<?, ?>) result.get("latency")).containsKey("100"));
    }
}
