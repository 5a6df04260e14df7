"""What the public may see of a person: a masked name, never contacts or addresses."""


def mask_name(full_name: str) -> str:
    """The first word in full and the initial of the next: ``Ivan Petrov`` → ``Ivan P.``."""
    words = full_name.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0] + "."
    return f"{words[0]} {words[1][0]}."
