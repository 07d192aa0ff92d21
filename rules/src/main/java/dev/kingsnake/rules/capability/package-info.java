/**
 * The capability inventory: what a package can do (start processes, use the network, read the clipboard, load
 * native code ...), reported at INFO severity so that it weighs nothing in the score. Behaviour rules accuse;
 * capabilities inform a reviewer and let {@code kingsnake diff} show what a new release gained.
 * <p>
 * {@link dev.kingsnake.rules.capability.CapabilityKind} names each capability and documents it,
 * {@link dev.kingsnake.rules.capability.CapabilityInventory} finds every capability of one Python file in one
 * pass over its nodes (resolved call names and constants only), and
 * {@link dev.kingsnake.rules.capability.CapabilityRule} turns one kind into one registered rule.
 */
package dev.kingsnake.rules.capability;
