package jarvis.messaging.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jarvis.api.DeliveryState;
import jarvis.api.Message;
import jarvis.api.MessageListener;
import jarvis.api.messaging.TypingListener;

/** Everything a node's messaging announced, kept across restarts of the node. */
final class Recorder implements MessageListener, TypingListener {

    record StateChange(Message message, DeliveryState previous) {
    }

    final List<Message> received = new CopyOnWriteArrayList<>();
    final List<StateChange> changes = new CopyOnWriteArrayList<>();
    final List<String> typing = new CopyOnWriteArrayList<>();

    @Override
    public void messageReceived(Message message) {
        received.add(message);
    }

    @Override
    public void deliveryStateChanged(Message message, DeliveryState previous) {
        changes.add(new StateChange(message, previous));
    }

    @Override
    public void typing(String contactUid) {
        typing.add(contactUid);
    }

    List<DeliveryState> statesOf(String messageId) {
        return changes.stream().filter(c -> c.message().id().equals(messageId)).map(c -> c.message().state()).toList();
    }

    List<String> textsFrom(String uid) {
        return received.stream().filter(m -> m.senderUid().equals(uid)).map(Message::text).toList();
    }
}
