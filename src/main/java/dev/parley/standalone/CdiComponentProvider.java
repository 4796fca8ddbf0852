package dev.parley.standalone;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.Unmanaged;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.tyrus.core.ComponentProvider;

/**
 * Lets Tyrus create endpoint instances through CDI, so {@code @Inject} in an endpoint
 * works in the standalone server as it does in an application server. Registered in
 * META-INF/services; Tyrus asks it before its default provider.
 */
public class CdiComponentProvider extends ComponentProvider {
    /** Weld validates and builds an injection target per Unmanaged: once per class, not per connection. */
    private final Map<Class<?>, Unmanaged<?>> types = new ConcurrentHashMap<>();
    private final Map<Object, Unmanaged.UnmanagedInstance<?>> instances = new ConcurrentHashMap<>();

    @Override
    public boolean isApplicable(Class<?> c) {
        return c.getName().startsWith("dev.parley.");
    }

    @Override
    public <T> Object create(Class<T> c) {
        @SuppressWarnings("unchecked")
        Unmanaged<T> type = (Unmanaged<T>) types.computeIfAbsent(c, k -> new Unmanaged<>(CDI.current().getBeanManager(), k));
        Unmanaged.UnmanagedInstance<T> instance = type.newInstance();
        T endpoint = instance.produce().inject().postConstruct().get();
        instances.put(endpoint, instance);
        return endpoint;
    }

    @Override
    public boolean destroy(Object o) {
        Unmanaged.UnmanagedInstance<?> instance = instances.remove(o);
        if (instance == null) {
            return false;
        }
        instance.preDestroy().dispose();
        return true;
    }
}
