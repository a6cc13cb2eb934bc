"""Subscriptions: one client in one program, from the invite (pending) through joining (active)
to leaving or being moved (ended). This area owns that life: nothing else writes a
subscription's status. It knows programs only by id, so the programs area can ask it about a
program's clients."""
