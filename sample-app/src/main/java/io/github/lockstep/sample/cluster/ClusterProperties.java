package io.github.lockstep.sample.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The other instances of the sample ({@code sample.cluster.*}): the page's cluster view asks each
 * of them for its own view, and a load started on one instance starts on all of them.
 *
 * <pre>{@code
 * sample:
 *   cluster:
 *     peers: http://127.0.0.1:8081    # every instance but this one
 *     timeout: 1s                     # a peer that has not answered by then is shown down
 * }</pre>
 *
 * @param peers the base URLs of the other instances; none: this instance alone
 * @param timeout how long a peer may take to answer before it is shown down
 */
@ConfigurationProperties("sample.cluster")
public record ClusterProperties(@DefaultValue List<URI> peers, @DefaultValue("1s") Duration timeout) {

	public ClusterProperties {
		peers = List.copyOf(peers);
	}

}
