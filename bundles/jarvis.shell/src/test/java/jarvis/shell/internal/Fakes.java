package jarvis.shell.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/** Services for the command tests: a proxy whose every call goes to one handler. */
final class Fakes {

    private Fakes() {
    }

    static <T> T service(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
