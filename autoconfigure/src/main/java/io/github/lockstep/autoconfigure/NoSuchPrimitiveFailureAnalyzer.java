package io.github.lockstep.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.PrimitiveKind;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.InjectionPoint;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.diagnostics.analyzer.AbstractInjectionFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains an injection point of a Lockstep type that no primitive matches, listing the
 * primitives that do exist, where Spring Boot's own analysis would only say that no bean
 * qualifies.
 */
class NoSuchPrimitiveFailureAnalyzer extends AbstractInjectionFailureAnalyzer<NoSuchBeanDefinitionException>
		implements Ordered {

	private final BeanFactory beanFactory;

	NoSuchPrimitiveFailureAnalyzer(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public int getOrder() {
		// before Spring Boot's NoSuchBeanDefinitionFailureAnalyzer, which would take the failure first
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause, String description) {
		Class<?> type = (cause.getResolvableType() != null) ? cause.getResolvableType().resolve() : null;
		if (type == null || !AsyncPrimitive.class.isAssignableFrom(type)
				|| !(this.beanFactory instanceof ListableBeanFactory beans)) {
			return null;
		}
		Kind kind = Arrays.stream(PrimitiveKind.values())
			.filter((k) -> k.type() == type)
			.findFirst()
			.map(Kind::of)
			.orElse(null);
		String word = (kind != null) ? kind.word() : "primitive";
		String name = qualifier(rootFailure);
		String where = (description != null) ? description : "An injection point";
		String existing = existing(beans);
		if (name == null) {
			return new FailureAnalysis(where + " needs " + article(word) + " " + word + ", but names none. " + existing,
					"Name one with @Qualifier(\"name\"): Lockstep's primitives are injected only by name, so that they"
							+ " never make a plain " + type.getSimpleName() + " injection point ambiguous.",
					cause);
		}
		String declare = (kind != null)
				? "configure " + kind.key(name) + ", or name it in an annotation. " + kind.noSettingsHint(name)
				: "configure it under lockstep.<kind>, or name it in an annotation.";
		return new FailureAnalysis(where + " needs the " + word + " '" + name + "', but Lockstep has no " + word
				+ " of that name. " + existing,
				"Name one of those in @Qualifier, or declare '" + name + "': " + declare, cause);
	}

	private static String existing(ListableBeanFactory beans) {
		List<String> names = Arrays.stream(beans.getBeanNamesForType(AsyncPrimitive.class, true, false))
			.filter((bean) -> bean.startsWith("lockstep."))
			.map((bean) -> bean.substring("lockstep.".length()))
			.map((bean) -> bean.substring(0, bean.indexOf('.')) + " '" + bean.substring(bean.indexOf('.') + 1) + "'")
			.sorted()
			.toList();
		return names.isEmpty() ? "No primitive is configured or named by an annotation."
				: "The primitives that exist: " + names.stream().collect(Collectors.joining(", ")) + ".";
	}

	private static String qualifier(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof UnsatisfiedDependencyException unsatisfied && unsatisfied.getInjectionPoint() != null) {
				InjectionPoint point = unsatisfied.getInjectionPoint();
				return Arrays.stream(point.getAnnotations())
					.filter(Qualifier.class::isInstance)
					.map((annotation) -> ((Qualifier) annotation).value())
					.findFirst()
					.orElse(null);
			}
		}
		return null;
	}

	private static String article(String word) {
		return (word.startsWith("e") || word.startsWith("a")) ? "an" : "a";
	}

}
