/**
 * The sample as a small cluster ({@code cluster} profile): each instance's view of its primitives
 * and of its own callers, the cluster view that an instance assembles from its peers', and a way
 * to halt an instance abruptly.
 */
package io.github.lockstep.sample.cluster;
