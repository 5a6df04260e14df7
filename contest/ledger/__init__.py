"""The public, append-only transparency log: RFC 6962 Merkle trees (:mod:`.merkle`), C2SP
signed notes and checkpoints (:mod:`.note`), the signing key (:mod:`.keys`).

Everything here is pure and needs no database; :mod:`.store` keeps the log in one.
"""
