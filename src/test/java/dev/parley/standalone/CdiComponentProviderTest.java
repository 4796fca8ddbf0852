package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.endpoint.ChatEndpoint;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which endpoint instances the provider keeps for disposal: only those with something to
 * dispose of (a {@code @PreDestroy}, a dependent object injected), so that a connection's
 * endpoint, which has neither, costs no CDI bookkeeping.
 */
class CdiComponentProviderTest {
    @ApplicationScoped
    static class Shared {
    }

    @Dependent
    static class Own {
    }

    static class OnlyShared {
        @Inject
        Shared shared;
    }

    static class WithOwn {
        @Inject
        Shared shared;
        @Inject
        Own own;
    }

    static class WithPreDestroy {
        @Inject
        Shared shared;

        @PreDestroy
        void bye() {
        }
    }

    static class Inherits extends WithPreDestroy {
    }

    private static WeldContainer cdi;
    private static BeanManager beans;

    @BeforeAll
    static void start() {
        cdi = new Weld("provider-test").disableDiscovery().addBeanClasses(Shared.class, Own.class).initialize();
        beans = cdi.getBeanManager();
    }

    @AfterAll
    static void stop() {
        cdi.shutdown();
    }

    @Test
    void anInstanceOfOnlyNormalScopedBeansHasNothingToDispose() {
        assertFalse(CdiComponentProvider.disposable(beans, OnlyShared.class));
    }

    @Test
    void aDependentObjectOrAPreDestroyMustBeDisposedOf() {
        assertTrue(CdiComponentProvider.disposable(beans, WithOwn.class));
        assertTrue(CdiComponentProvider.disposable(beans, WithPreDestroy.class));
        assertTrue(CdiComponentProvider.disposable(beans, Inherits.class));
    }

    /** The endpoint injects application-scoped beans only, so that the provider keeps none of its instances. */
    @Test
    void theChatEndpointInjectsOnlyApplicationScopedBeans() {
        int injected = 0;
        for (Field field : ChatEndpoint.class.getDeclaredFields()) {
            if (field.isAnnotationPresent(Inject.class)) {
                injected++;
                assertTrue(field.getType().isAnnotationPresent(ApplicationScoped.class), field.getName());
            }
        }
        assertTrue(injected > 0);
    }
}
