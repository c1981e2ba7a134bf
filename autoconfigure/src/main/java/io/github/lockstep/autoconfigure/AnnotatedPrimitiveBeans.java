package io.github.lockstep.autoconfigure;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.lockstep.PrimitiveKind;
import io.github.lockstep.autoconfigure.interceptor.PrimitiveUse;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Defines a bean for every primitive that only annotations name, before any application bean is
 * created, so that {@code @Qualifier("ledger") AsyncLock} finds the lock of
 * {@code @Guarded("ledger")} whether or not {@code lockstep.locks.ledger} is configured.
 *
 * <p>The annotations are read from the types that the bean definitions predict, without creating
 * a bean. A bean whose definition does not reveal its class (a {@code @Bean} method declared to
 * return an interface) still gets its primitives when it is created, but no bean of them: inject
 * the {@code LockstepRegistry} there, or configure the name. Under ahead-of-time processing this
 * runs at build time, and the definitions it adds are part of the generated code.
 */
final class AnnotatedPrimitiveBeans implements BeanFactoryPostProcessor {

	private final Environment environment;

	AnnotatedPrimitiveBeans(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
		if (!(beanFactory instanceof BeanDefinitionRegistry registry)) {
			return;
		}
		Set<Class<?>> read = new HashSet<>();
		Set<String> defined = new HashSet<>();
		for (String beanName : beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = beanFactory.getBeanDefinition(beanName);
			if (definition.isAbstract() || definition.getRole() == BeanDefinition.ROLE_INFRASTRUCTURE) {
				continue;
			}
			Class<?> type = predictedType(beanFactory, beanName);
			if (type == null || !read.add(type)) {
				continue;
			}
			for (PrimitiveUse use : uses(type)) {
				// the first use of a name defines its bean; a disagreeing one fails startup when checked
				if (defined.add(use.name()) && !isDefined(registry, use.name())) {
					PrimitiveBeanDefinitions.register(registry, use.kind(), use.name(), "lockstepAnnotatedPrimitives",
							"primitiveBean", use.kind(), use.name(), use.named(), use.size(), use.owner(), use.where());
				}
			}
		}
	}

	/** Whether a primitive of any kind has this name already: configured, or defined by an application. */
	private static boolean isDefined(BeanDefinitionRegistry registry, String name) {
		for (PrimitiveKind kind : PrimitiveKind.values()) {
			if (registry.containsBeanDefinition(PrimitiveBeanDefinitions.beanName(kind, name))) {
				return true;
			}
		}
		return false;
	}

	private static Class<?> predictedType(ConfigurableListableBeanFactory beanFactory, String beanName) {
		try {
			return beanFactory.getType(beanName, false);
		}
		catch (RuntimeException | LinkageError ex) {
			// a type that cannot be predicted yet is read when its bean is created
			return null;
		}
	}

	private List<PrimitiveUse> uses(Class<?> type) {
		try {
			return PrimitiveUse.declaredBy(ClassUtils.getUserClass(type), this.environment::resolvePlaceholders);
		}
		catch (RuntimeException | LinkageError ex) {
			// what cannot be read here is read, and reported, when the bean is created
			return List.of();
		}
	}

}
