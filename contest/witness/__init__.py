"""An independent witness for the contest log (C2SP tlog-witness and tlog-cosignature).

A log operator who holds the database and the signing key could still fork or truncate the
log: show one history to some and another to others, or drop its last entries. A witness,
run by someone else on their own machine, closes that door. The log sends it each new
checkpoint with a consistency proof from the last one the witness saw; the witness checks the
proof, remembers the new checkpoint, and returns its cosignature. A verifier that requires
cosignatures from witnesses it trusts then knows that no witness saw a history that the
published one does not extend.

- :mod:`~contest.witness.cosignature`: the witness's key and its Ed25519 ``cosignature/v1``
  signatures over a checkpoint (C2SP tlog-cosignature), and
  :func:`~contest.witness.cosignature.verify_cosignatures` for verifiers;
- :mod:`~contest.witness.state`: the witness's own store of the latest checkpoint it
  cosigned per log, with compare-and-swap updates;
- :mod:`~contest.witness.witness`: the ``add-checkpoint`` request and the checks the spec
  names, each refusal as the error its HTTP status maps to;
- :mod:`~contest.witness.server`: the HTTP server (``contest witness serve``);
- :mod:`~contest.witness.client`: what the log calls to obtain a cosignature.

The witness needs nothing of the contest: no database, no settings, only its key, its store
and the verifier keys of the logs it witnesses.
"""
