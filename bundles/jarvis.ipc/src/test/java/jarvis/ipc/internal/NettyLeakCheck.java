package jarvis.ipc.internal;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registered for every test class (junit-platform.properties): tracks every Netty buffer (PARANOID)
 * and fails the test after which a leaked buffer was reported. Installed before the first buffer
 * class is initialised, because Netty creates its leak detectors once.
 */
public final class NettyLeakCheck implements BeforeAllCallback, AfterEachCallback {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (NettyLeakCheck.class) {
            if (!installed) {
                ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
                ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
                installed = true;
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        // Leaks are found when a collected buffer's tracker is polled on a later allocation: collect, wait
        // until the collector has queued a sentinel reference (and so the buffers' ones), then allocate.
        ReferenceQueue<Object> collected = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), collected);
        for (int attempt = 0; attempt < 10 && collected.poll() == null; attempt++) {
            System.gc();
            if (collected.remove(200) != null) {
                break;
            }
        }
        sentinel.clear();
        for (int i = 0; i < 8; i++) {
            ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
            probe.release();
            ByteBuf heap = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
            heap.release();
        }
        List<String> found = List.copyOf(LEAKS);
        LEAKS.clear();
        assertThat(found).as("Netty buffers leaked during " + context.getDisplayName()).isEmpty();
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        // Abstract in Netty although deprecated, so it must be implemented.
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            return newResourceLeakDetector(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new ResourceLeakDetector<>(resource, 1) {
                @Override
                protected boolean needReport() {
                    return true;
                }

                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    LEAKS.add(resourceType + records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    LEAKS.add(resourceType);
                }
            };
        }
    }
}
