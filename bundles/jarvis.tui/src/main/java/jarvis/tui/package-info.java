/**
 * The terminal UI: {@link jarvis.tui.Main#run} on the user's terminal (what {@code bin/jarvis} opens with
 * no command), {@link jarvis.tui.TerminalUi} on any Lanterna terminal. A plain jar on {@code lib/cli}
 * with Lanterna beside it, not an OSGi bundle in the daemon. Screens and keys: docs/tui.md.
 */
package jarvis.tui;
