"""Subscriptions: one client in one program, from the invite (pending) through joining (active)
to leaving or being moved (ended): the table and the questions asked of it, low enough that
every area can read them. Its life (what changes its status and dates) is fitr.lifecycle, which
sits above calendars and payments. It knows programs only by id, so the programs area can ask it
about a program's clients."""
