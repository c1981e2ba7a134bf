package io.github.lockstep.autoconfigure;

import io.github.lockstep.PrimitiveKind;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * The bean definition of one primitive: named {@code lockstep.<kind>.<name>}, so that it never
 * clashes with an application's bean names, qualified by the primitive's name, and not a default
 * candidate, so that it never makes a plain {@code AsyncSemaphore} injection point ambiguous. The
 * primitive itself comes from a factory method of one of Lockstep's beans, which keeps the
 * definition fit for ahead-of-time processing.
 */
final class PrimitiveBeanDefinitions {

	private PrimitiveBeanDefinitions() {
	}

	static String beanName(PrimitiveKind kind, String name) {
		return "lockstep." + kind.word() + "." + name;
	}

	/**
	 * Registers the definition unless one of that name exists: a configured primitive is defined
	 * first and wins over the annotations that name it.
	 * @return whether it was registered
	 */
	static boolean register(BeanDefinitionRegistry registry, PrimitiveKind kind, String name, String factoryBean,
			String factoryMethod, Object... arguments) {
		String beanName = beanName(kind, name);
		if (registry.containsBeanDefinition(beanName)) {
			return false;
		}
		RootBeanDefinition definition = new RootBeanDefinition();
		definition.setFactoryBeanName(factoryBean);
		definition.setFactoryMethodName(factoryMethod);
		for (int i = 0; i < arguments.length; i++) {
			definition.getConstructorArgumentValues().addIndexedArgumentValue(i, arguments[i]);
		}
		definition.setTargetType(kind.type());
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		definition.setDefaultCandidate(false);
		registry.registerBeanDefinition(beanName, definition);
		return true;
	}

}
