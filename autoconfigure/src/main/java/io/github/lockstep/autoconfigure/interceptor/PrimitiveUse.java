package io.github.lockstep.autoconfigure.interceptor;

import java.util.List;

import io.github.lockstep.PrimitiveKind;

import org.springframework.util.StringValueResolver;

/**
 * One Lockstep annotation's use of a primitive: what the interceptor asks its
 * {@link PrimitiveSource} for. {@code @Throttled(permits = 5)} on {@code PaymentClient.charge()}
 * uses the semaphore {@code PaymentClient.charge} of 5 permits, by its default name.
 *
 * <pre>{@code
 * for (PrimitiveUse use : PrimitiveUse.declaredBy(PaymentClient.class, (text) -> text)) {
 *     System.out.println(use.where() + " uses the " + use.kind().word() + " '" + use.name() + "'");
 * }
 * }</pre>
 *
 * @param kind the kind of primitive the annotation needs
 * @param name the primitive's name, given or default
 * @param named whether the annotation gave the name
 * @param size the permits ({@code @Throttled}) or parties ({@code @AwaitBarrier}) the annotation
 * sets; 0 if it sets none
 * @param owner the class whose name a default name is made of
 * @param where the annotation and the method or class it is on, for messages:
 * {@code @Throttled on PaymentClient.charge()}
 */
public record PrimitiveUse(PrimitiveKind kind, String name, boolean named, int size, Class<?> owner, String where) {

	/**
	 * Reads the uses of the Lockstep annotations of a class's methods, on the methods themselves
	 * or on the class, without creating any primitive.
	 * @param targetClass the class
	 * @param placeholders resolves {@code ${…}} in the annotations' names
	 * @return the uses, method by method, outermost annotation first
	 */
	public static List<PrimitiveUse> declaredBy(Class<?> targetClass, StringValueResolver placeholders) {
		return MethodPlans.uses(targetClass, placeholders);
	}

}
