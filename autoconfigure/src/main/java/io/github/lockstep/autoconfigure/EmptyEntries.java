package io.github.lockstep.autoconfigure;

import java.util.List;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;

/**
 * Binds an entry with no settings — {@code ledger:} or {@code ledger: ~} under
 * {@code lockstep.locks}, or {@code lockstep.locks.ledger=} — as that primitive with its defaults,
 * where Spring Boot alone would fail to convert the empty value to a {@code Lock}.
 *
 * <p>It acts only when nothing else binds: settings of the same entry from any property source
 * still apply. {@link EmptyYamlEntries} turns a YAML {@code ledger: {}}, which Spring Boot drops
 * while loading, into such an empty value.
 */
final class EmptyEntries implements ConfigurationPropertiesBindHandlerAdvisor {

	private static final List<ConfigurationPropertyName> SECTIONS = List.of(Kind.values())
		.stream()
		.map((kind) -> ConfigurationPropertyName.of(kind.section()))
		.toList();

	@Override
	public BindHandler apply(BindHandler bindHandler) {
		return new Defaults(bindHandler);
	}

	/** Whether a name is one primitive's entry: {@code lockstep.locks.ledger}. */
	static boolean isEntry(ConfigurationPropertyName name) {
		return !name.isEmpty() && SECTIONS.contains(name.getParent());
	}

	/** Whether a property source holds the entry, with nothing as its value. */
	private static boolean isEmpty(ConfigurationPropertyName name, Iterable<ConfigurationPropertySource> sources) {
		for (ConfigurationPropertySource source : sources) {
			ConfigurationProperty property = source.getConfigurationProperty(name);
			if (property != null) {
				return property.getValue() == null || "".equals(property.getValue());
			}
		}
		return false;
	}

	static final class Defaults extends AbstractBindHandler {

		Defaults(BindHandler parent) {
			super(parent);
		}

		@Override
		public Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
				Exception error) throws Exception {
			Class<?> type = target.getType().resolve(Object.class);
			if (LockstepProperties.Primitive.class.isAssignableFrom(type) && isEntry(name)
					&& isEmpty(name, context.getSources())) {
				return BeanUtils.instantiateClass(type);
			}
			return super.onFailure(name, target, context, error);
		}

	}

}
