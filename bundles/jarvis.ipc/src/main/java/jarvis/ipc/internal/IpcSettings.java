package jarvis.ipc.internal;

/**
 * The IPC server's configuration, checked: values outside their range are refused at activation
 * rather than silently clamped, so a typo in {@code conf/jarvis.ipc.cfg} is visible in the log.
 */
record IpcSettings(int port, boolean tcpEnabled, boolean unixEnabled, int maxLineBytes, int maxQueuedEvents,
        long maxQueuedBytes, int workerThreads, int maxClients, int helloTimeoutSeconds) {

    /** Requests one connection may have running at once; a client beyond it is told to wait. */
    static final int MAX_IN_FLIGHT_PER_CLIENT = 256;

    IpcSettings {
        require(port >= 0 && port <= 65535, "ipc.port must be 0-65535: " + port);
        require(tcpEnabled || unixEnabled, "tcp.enabled and unix.enabled are both false: no way to reach the daemon");
        require(maxLineBytes >= 1024 && maxLineBytes <= 64 * 1024 * 1024,
                "max.line.bytes must be 1024 to 67108864: " + maxLineBytes);
        require(maxQueuedEvents >= 1, "max.queued.events must be at least 1: " + maxQueuedEvents);
        require(maxQueuedBytes >= 1024, "max.queued.bytes must be at least 1024: " + maxQueuedBytes);
        require(workerThreads >= 1 && workerThreads <= 64, "worker.threads must be 1 to 64: " + workerThreads);
        require(maxClients >= 1, "max.clients must be at least 1: " + maxClients);
        require(helloTimeoutSeconds >= 1, "hello.timeout.seconds must be at least 1: " + helloTimeoutSeconds);
    }

    static IpcSettings from(IpcServer.Config c) {
        return new IpcSettings(c.ipc_port(), c.tcp_enabled(), c.unix_enabled(), c.max_line_bytes(),
                c.max_queued_events(), c.max_queued_bytes(), c.worker_threads(), c.max_clients(),
                c.hello_timeout_seconds());
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
