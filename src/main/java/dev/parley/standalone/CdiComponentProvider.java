package dev.parley.standalone;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.Unmanaged;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.tyrus.core.ComponentProvider;

/**
 * Lets Tyrus create endpoint instances through CDI, so {@code @Inject} in an endpoint
 * works in the standalone server as it does in an application server. Registered in
 * META-INF/services; Tyrus asks it before its default provider.
 *
 * <p>An instance is kept for its disposal only when it has something to dispose of. The
 * chat endpoint, one per connection, injects only normal-scoped beans (proxies to the
 * application's one registry) and has no {@code @PreDestroy}: kept, its CDI bookkeeping
 * would be some 450 bytes of every idle connection, to dispose of nothing.
 */
public class CdiComponentProvider extends ComponentProvider {
    /** Weld validates and builds an injection target per Unmanaged: once per class, not per connection. */
    private final Map<Class<?>, Type<?>> types = new ConcurrentHashMap<>();
    private final Map<Object, Unmanaged.UnmanagedInstance<?>> instances = new ConcurrentHashMap<>();

    /** A class's injection target, and whether its instances need disposing. */
    private record Type<T>(Unmanaged<T> unmanaged, boolean disposable) {
    }

    @Override
    public boolean isApplicable(Class<?> c) {
        return c.getName().startsWith("dev.parley.");
    }

    @Override
    public <T> Object create(Class<T> c) {
        @SuppressWarnings("unchecked")
        Type<T> type = (Type<T>) types.computeIfAbsent(c, CdiComponentProvider::type);
        Unmanaged.UnmanagedInstance<T> instance = type.unmanaged().newInstance();
        T endpoint = instance.produce().inject().postConstruct().get();
        if (type.disposable()) {
            instances.put(endpoint, instance);
        }
        return endpoint;
    }

    private static <T> Type<T> type(Class<T> c) {
        BeanManager beans = CDI.current().getBeanManager();
        return new Type<>(new Unmanaged<>(beans, c), disposable(beans, c));
    }

    /**
     * Whether disposing of an instance of {@code c} would do anything: it has a
     * {@code @PreDestroy} method, or one of its injection points is a dependent object
     * (which CDI would destroy with it).
     */
    static boolean disposable(BeanManager beans, Class<?> c) {
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Method method : k.getDeclaredMethods()) {
                if (method.isAnnotationPresent(PreDestroy.class)) {
                    return true;
                }
            }
        }
        for (InjectionPoint point : beans.getInjectionTargetFactory(beans.createAnnotatedType(c))
                .createInjectionTarget(null).getInjectionPoints()) {
            Bean<?> bean = beans.resolve(beans.getBeans(point.getType(), point.getQualifiers().toArray(new Annotation[0])));
            if (bean == null || !beans.isNormalScope(bean.getScope())) {
                return true;
            }
        }
        return false;
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
