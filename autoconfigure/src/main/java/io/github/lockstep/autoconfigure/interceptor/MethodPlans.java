package io.github.lockstep.autoconfigure.interceptor;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.lockstep.AsyncEvent;
import io.github.lockstep.PrimitiveKind;
import io.github.lockstep.annotation.AwaitBarrier;
import io.github.lockstep.annotation.AwaitEvent;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.SetEvent;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepConfigurationException;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.scheduling.annotation.Async;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringValueResolver;

/**
 * Reads the Lockstep annotations of a method into a {@link MethodPlan}, once per method and target
 * class, and checks them: where a proxy can reach, on a return type whose end can be observed,
 * with timeouts that parse and names whose uses agree.
 */
final class MethodPlans {

	/** The annotations that make a call wait, in the order they apply, outermost first. */
	private static final List<AnnotationKind> WAITS = List.of(
			new AnnotationKind(AwaitEvent.class, PrimitiveKind.EVENT, null),
			new AnnotationKind(AwaitBarrier.class, PrimitiveKind.BARRIER, "parties"),
			new AnnotationKind(Throttled.class, PrimitiveKind.SEMAPHORE, "permits"),
			new AnnotationKind(Guarded.class, PrimitiveKind.LOCK, null));

	private static final AnnotationKind SET_EVENT = new AnnotationKind(SetEvent.class, PrimitiveKind.EVENT, null);

	/** Every Lockstep annotation, the waits first. */
	private static final List<AnnotationKind> ALL_KINDS = Stream.concat(WAITS.stream(), Stream.of(SET_EVENT)).toList();

	private static final List<Class<? extends Annotation>> ALL = ALL_KINDS.stream()
		.<Class<? extends Annotation>>map(AnnotationKind::type)
		.toList();

	private static final boolean reactorPresent = ClassUtils.isPresent("reactor.core.publisher.Mono",
			MethodPlans.class.getClassLoader());

	private final PrimitiveSource primitives;

	private final StringValueResolver placeholders;

	private final ConcurrentHashMap<MethodClassKey, MethodPlan> plans = new ConcurrentHashMap<>();

	MethodPlans(PrimitiveSource primitives, StringValueResolver placeholders) {
		this.primitives = primitives;
		this.placeholders = placeholders;
	}

	/** Whether a call of the method on the target class is Lockstep's to intercept. */
	static boolean isAnnotated(Method method, Class<?> targetClass) {
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		return ALL.stream().anyMatch((type) -> find(specific, targetClass, type).isPresent());
	}

	/** The plan for calls of the method on the target class; {@link MethodPlan#NONE} if none. */
	MethodPlan get(Method method, Class<?> targetClass) {
		MethodClassKey key = new MethodClassKey(method, targetClass);
		MethodPlan plan = this.plans.get(key);
		return (plan != null) ? plan : this.plans.computeIfAbsent(key, (k) -> create(method, targetClass));
	}

	/** The methods of a class that carry a Lockstep annotation, themselves or through the class. */
	static List<Method> annotatedMethods(Class<?> targetClass) {
		return Arrays.stream(ReflectionUtils.getUniqueDeclaredMethods(targetClass, ReflectionUtils.USER_DECLARED_METHODS))
			.filter((method) -> method.getDeclaringClass() != Object.class && hasAny(method, targetClass))
			.toList();
	}

	/**
	 * Checks the annotated methods of a bean's class and declares the primitives they name, so
	 * that mistakes fail startup rather than the first call.
	 */
	void check(Class<?> targetClass, List<Method> annotated) {
		for (Method method : annotated) {
			checkReachable(method);
			get(method, targetClass);
		}
	}

	private static boolean hasAny(Method method, Class<?> targetClass) {
		return ALL.stream().anyMatch((type) -> find(method, targetClass, type).isPresent());
	}

	private static void checkReachable(Method method) {
		int modifiers = method.getModifiers();
		String problem = Modifier.isPrivate(modifiers) ? "private" : Modifier.isStatic(modifiers) ? "static"
				: Modifier.isFinal(modifiers) ? "final" : null;
		if (problem != null) {
			throw new LockstepConfigurationException(annotationsOf(method) + " on " + describe(method)
					+ " cannot take effect: the method is " + problem + ", and a Spring proxy only intercepts methods"
					+ " that are neither private, static nor final.",
					"Make " + describe(method) + " non-" + problem + " and call it through the bean, or use the"
							+ " primitive directly, e.g. " + directUse(method) + ".");
		}
	}

	/** What the method's outermost annotation does, written as a call of the primitive. */
	private static String directUse(Method method) {
		Class<? extends Annotation> outermost = ALL.stream()
			.filter((type) -> MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY).isPresent(type))
			.findFirst()
			.orElse(Guarded.class);
		if (outermost == Throttled.class) {
			return "registry.semaphore(\"name\").orElseThrow().withPermit(…)";
		}
		if (outermost == AwaitEvent.class) {
			return "registry.event(\"name\").orElseThrow().await()";
		}
		if (outermost == SetEvent.class) {
			return "registry.event(\"name\").orElseThrow().set()";
		}
		if (outermost == AwaitBarrier.class) {
			return "registry.barrier(\"name\").orElseThrow().await()";
		}
		return "registry.lock(\"name\").orElseThrow().withLock(…)";
	}

	private MethodPlan create(Method method, Class<?> targetClass) {
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		if (specific.getDeclaringClass() == Object.class) {
			return MethodPlan.NONE;
		}
		List<Step> steps = new ArrayList<>();
		for (AnnotationKind wait : WAITS) {
			MergedAnnotation<? extends Annotation> annotation = find(specific, targetClass, wait.type());
			if (annotation.isPresent()) {
				PrimitiveUse use = use(annotation, wait, specific, this.placeholders);
				steps.add(Step.of(this.primitives.primitive(use), timeout(annotation, use, specific)));
			}
		}
		MergedAnnotation<? extends Annotation> setEvent = find(specific, targetClass, SET_EVENT.type());
		if (steps.isEmpty() && !setEvent.isPresent()) {
			return MethodPlan.NONE;
		}
		AsyncEvent event = setEvent.isPresent()
				? (AsyncEvent) this.primitives.primitive(use(setEvent, SET_EVENT, specific, this.placeholders)) : null;
		return new MethodPlan(describe(specific), shape(specific, targetClass), List.copyOf(steps), event);
	}

	/**
	 * The primitives that the annotations of a class's methods use, read without creating any:
	 * what the primitive beans are defined from before the application's beans exist.
	 */
	static List<PrimitiveUse> uses(Class<?> targetClass, StringValueResolver placeholders) {
		List<PrimitiveUse> uses = new ArrayList<>();
		for (Method method : annotatedMethods(targetClass)) {
			for (AnnotationKind kind : ALL_KINDS) {
				MergedAnnotation<? extends Annotation> annotation = find(method, targetClass, kind.type());
				if (annotation.isPresent()) {
					uses.add(use(annotation, kind, method, placeholders));
				}
			}
		}
		return uses;
	}

	private static PrimitiveUse use(MergedAnnotation<?> annotation, AnnotationKind kind, Method method,
			StringValueResolver placeholders) {
		int size = (kind.sizeAttribute() != null) ? annotation.getInt(kind.sizeAttribute()) : 0;
		String name = placeholders.resolveStringValue(annotation.getString("value"));
		boolean named = name != null && !name.isEmpty();
		Object source = annotation.getSource();
		Class<?> owner = (source instanceof Class<?> type) ? type
				: (source instanceof Method declaring) ? declaring.getDeclaringClass() : method.getDeclaringClass();
		if (!named) {
			name = (source instanceof Class<?>) ? owner.getSimpleName() : defaultName(method, owner);
		}
		String where = "@" + annotation.getType().getSimpleName() + " on "
				+ ((source instanceof Class<?>) ? "class " + owner.getName() : describe(method));
		return new PrimitiveUse(kind.kind(), name, named, size, owner, where);
	}

	private Duration timeout(MergedAnnotation<?> annotation, PrimitiveUse use, Method method) {
		String text = this.placeholders.resolveStringValue(annotation.getString("timeout"));
		if (text == null || text.isEmpty()) {
			return this.primitives.timeout(use.name());
		}
		Duration timeout;
		try {
			timeout = DurationStyle.detectAndParse(text.trim());
		}
		catch (IllegalArgumentException ex) {
			timeout = null;
		}
		if (timeout == null || timeout.isNegative()) {
			int on = use.where().indexOf(" on ");
			throw new LockstepConfigurationException(use.where().substring(0, on) + "(timeout = \"" + text + "\")"
					+ use.where().substring(on) + ": '" + text + "' is not a duration of 0 or more.",
					"Write a duration such as \"500ms\", \"2s\" or \"PT2S\"; \"0\" fails at once when the primitive is not"
							+ " free, and leaving it out uses the configured timeout.");
		}
		return timeout;
	}

	private static MethodPlan.Shape shape(Method method, Class<?> targetClass) {
		Class<?> type = method.getReturnType();
		boolean async = MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY).isPresent(Async.class)
				|| MergedAnnotations.from(targetClass, SearchStrategy.TYPE_HIERARCHY).isPresent(Async.class);
		// Spring's @Async returns a future it made only for CompletableFuture: check it first, so
		// that the advice fits an @Async method
		if (async && type != CompletableFuture.class) {
			throw new LockstepConfigurationException(annotationsOf(method) + " on @Async method " + describe(method)
					+ " returning " + type.getSimpleName() + ": Lockstep cannot observe when the task ends, so"
					+ " it could never give back what the call holds.",
					"Return CompletableFuture<Void> (or CompletableFuture<T>) from " + describe(method) + ".");
		}
		MethodPlan.Shape shape;
		if (type == CompletionStage.class || type == CompletableFuture.class) {
			shape = MethodPlan.Shape.STAGE;
		}
		else if (reactorPresent && type == reactor.core.publisher.Mono.class) {
			shape = MethodPlan.Shape.MONO;
		}
		else if (reactorPresent && type == reactor.core.publisher.Flux.class) {
			shape = MethodPlan.Shape.FLUX;
		}
		else if (CompletionStage.class.isAssignableFrom(type) || Future.class.isAssignableFrom(type)
				|| isPublisher(type)) {
			throw new LockstepConfigurationException(annotationsOf(method) + " on " + describe(method) + " returns "
					+ type.getName() + ", whose end Lockstep cannot observe without blocking.",
					"Return CompletableFuture, CompletionStage, Mono or Flux, or a plain value (the caller then waits).");
		}
		else {
			shape = MethodPlan.Shape.SYNC;
		}
		return async ? MethodPlan.Shape.ASYNC_TASK : shape;
	}

	private static boolean isPublisher(Class<?> type) {
		String publisher = "org.reactivestreams.Publisher";
		return type.getName().equals(publisher)
				|| ClassUtils.getAllInterfacesForClassAsSet(type).stream().anyMatch((i) -> i.getName().equals(publisher));
	}

	/**
	 * The annotation on the method, else on its class; a class's covers the public instance
	 * methods it gives the bean, not {@code equals}, {@code hashCode} and {@code toString}.
	 */
	private static <A extends Annotation> MergedAnnotation<A> find(Method method, Class<?> targetClass, Class<A> type) {
		MergedAnnotation<A> onMethod = MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY).get(type);
		if (onMethod.isPresent() || !coveredByClass(method)) {
			return onMethod;
		}
		return MergedAnnotations.from(targetClass, SearchStrategy.TYPE_HIERARCHY).get(type);
	}

	private static boolean coveredByClass(Method method) {
		int modifiers = method.getModifiers();
		return Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers) && method.getDeclaringClass() != Object.class
				&& !ReflectionUtils.isEqualsMethod(method) && !ReflectionUtils.isHashCodeMethod(method)
				&& !ReflectionUtils.isToStringMethod(method);
	}

	/** {@code Mailer.send}, with the parameter types if the name is overloaded: {@code Mailer.send(int,String)}. */
	static String defaultName(Method method, Class<?> owner) {
		String name = owner.getSimpleName() + "." + method.getName();
		long sameName = Arrays.stream(owner.getDeclaredMethods())
			.filter((other) -> !other.isBridge() && !other.isSynthetic() && other.getName().equals(method.getName()))
			.count();
		return (sameName > 1) ? name + parameters(method) : name;
	}

	static String describe(Method method) {
		return method.getDeclaringClass().getSimpleName() + "." + method.getName() + parameters(method);
	}

	private static String parameters(Method method) {
		return Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(",", "(", ")"));
	}

	private static String annotationsOf(Method method) {
		return ALL.stream()
			.filter((type) -> MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY).isPresent(type)
					|| MergedAnnotations.from(method.getDeclaringClass(), SearchStrategy.TYPE_HIERARCHY).isPresent(type))
			.map((type) -> "@" + type.getSimpleName())
			.collect(Collectors.joining(" "));
	}

	/**
	 * What a Lockstep annotation uses: a primitive of one kind, sized by one of its attributes.
	 * @param type the annotation
	 * @param kind the kind of primitive it names
	 * @param sizeAttribute the attribute that gives the permits or parties, or {@code null}
	 */
	private record AnnotationKind(Class<? extends Annotation> type, PrimitiveKind kind, String sizeAttribute) {

	}

}
