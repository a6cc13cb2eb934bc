"""Training maxes: each client's max per exercise as one coach knows it (set by the coach, by
the client, or taken from the client's estimated 1RM), and the loads a %1RM or %TM
prescription comes to for that client. The pages that show them are the clients area's (the
coach's overview) and the training area's (the client's session page)."""
