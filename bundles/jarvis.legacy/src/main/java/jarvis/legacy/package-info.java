/**
 * The Jarvis 1.x ("jarvis/1") wire protocol as an optional plugin: nothing is exported; the bundle offers a
 * {@link jarvis.api.messaging.MessageCarrier} service. See docs/legacy.md.
 */
package jarvis.legacy;
