package jarvis.api.store;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One thread of a component's own that does its store work in order, so that network threads only queue and
 * return. A task that fails is logged and forgotten: whatever it did not finish is still in the store, and the
 * component's periodic task picks it up again. After {@link #stop} new tasks are dropped (logged at DEBUG).
 */
public final class StoreWorker {

    /** A piece of store work. */
    @FunctionalInterface
    public interface Task {
        void run() throws StoreException;
    }

    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final String name;
    private final System.Logger log;
    private final ScheduledThreadPoolExecutor executor;

    /** Starts the thread, named {@code name} (e.g. {@code jarvis-messaging}). */
    public StoreWorker(String name) {
        this.name = name;
        this.log = System.getLogger(StoreWorker.class.getName() + "." + name);
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    public void execute(Task task) {
        try {
            executor.execute(() -> guarded(task));
        } catch (RejectedExecutionException e) {
            log.log(System.Logger.Level.DEBUG, name + " stopped: task dropped");
        }
    }

    public void schedule(Task task, long delayMillis) {
        try {
            executor.schedule(() -> guarded(task), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.log(System.Logger.Level.DEBUG, name + " stopped: task dropped");
        }
    }

    /** Runs {@code task} after {@code initialDelayMillis}, then {@code periodMillis} after each run ends. */
    public void repeat(Task task, long initialDelayMillis, long periodMillis) {
        executor.scheduleWithFixedDelay(() -> guarded(task), initialDelayMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Lets the running task finish (10 s at most), drops the queued ones. */
    public void stop() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void guarded(Task task) {
        try {
            task.run();
        } catch (StoreException e) {
            log.log(System.Logger.Level.WARNING, name + ": store access failed: " + e.getMessage());
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.ERROR, name + ": task failed", e);
        }
    }
}
