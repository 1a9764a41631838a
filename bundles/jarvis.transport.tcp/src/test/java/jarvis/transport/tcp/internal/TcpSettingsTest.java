package jarvis.transport.tcp.internal;

import jarvis.api.Endpoint;
import jarvis.api.transport.Limits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpSettingsTest {

    @Test
    void defaultsAreValidAndWaterMarksLeaveRoomForOneFrameUnderTheBound() {
        TcpSettings settings = TcpSettings.from(new TestConfig().listen("tcp://0.0.0.0:5000"));

        assertThat(settings.listen()).isEqualTo(Endpoint.tcp("0.0.0.0", 5000));
        assertThat(settings.highWaterMark() + settings.maxFrameBytes() + TcpSettings.HEADER_BYTES)
                .isEqualTo(settings.writeQueueBytes());
        assertThat(settings.lowWaterMark()).isPositive().isLessThan(settings.highWaterMark());
    }

    @Test
    void listenEndpointMustBeAValidTcpEndpoint() {
        assertThatThrownBy(() -> TcpSettings.from(new TestConfig().listen("ws://0.0.0.0:5000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transport.listen");
        assertThatThrownBy(() -> TcpSettings.from(new TestConfig().listen("0.0.0.0:5000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transport.listen");
    }

    @Test
    void maxFrameMayNotBeBelowThePreAuthenticationLimitNorAboveTheCeiling() {
        assertThatThrownBy(() -> TcpSettings.from(new TestConfig().maxFrameBytes(Limits.PRE_AUTH_MAX_FRAME - 1)))
                .hasMessageContaining("max.frame.bytes");
        assertThatThrownBy(() -> TcpSettings.from(new TestConfig().maxFrameBytes(TcpSettings.MAX_FRAME_CEILING + 1)
                .writeQueueBytes(64 * 1024 * 1024))).hasMessageContaining("max.frame.bytes");
        assertThat(TcpSettings.from(new TestConfig().maxFrameBytes(Limits.PRE_AUTH_MAX_FRAME)).maxFrameBytes())
                .isEqualTo(Limits.PRE_AUTH_MAX_FRAME);
    }

    @Test
    void writeQueueMustHoldTwoWholeFrames() {
        assertThatThrownBy(() -> TcpSettings.from(new TestConfig().maxFrameBytes(1024 * 1024).writeQueueBytes(2 * 1024 * 1024)))
                .hasMessageContaining("write.queue.bytes");
        assertThat(TcpSettings.from(new TestConfig().maxFrameBytes(1024 * 1024).writeQueueBytes(2 * (1024 * 1024 + 4)))
                .highWaterMark()).isEqualTo(1024 * 1024 + 4);
    }

    @Test
    void timeoutsAndConnectionCapMustBePositive() {
        assertThatThrownBy(() -> TcpSettings.from(new TestConfig().connectTimeoutSeconds(0)))
                .hasMessageContaining("connect.timeout.seconds");
        assertThatThrownBy(() -> TcpSettings.from(new TestConfig().idleTimeoutSeconds(0)))
                .hasMessageContaining("idle.timeout.seconds");
        assertThatThrownBy(() -> TcpSettings.from(new TestConfig().maxConnections(0)))
                .hasMessageContaining("max.connections");
    }
}
