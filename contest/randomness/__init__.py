"""Public randomness for draws (see the modules: drand, commit_reveal, rfc3797)."""
