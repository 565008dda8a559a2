"""Worker tasks of the ``pipelines`` package."""

from dataclasses import dataclass

from .envs import worker_env


@dataclass
class Contact:
    email: str
    user: str
    domain: str


@worker_env.task(cache="auto")
async def clean(records: list[str]) -> list[str]:
    """Normalise e-mail addresses: strip, lower-case, drop blanks and duplicates."""
    seen: list[str] = []
    for record in records:
        email = record.strip().lower()
        if email and "@" in email and email not in seen:
            seen.append(email)
    return seen


@worker_env.task
async def enrich(email: str) -> Contact:
    """Split an address into user and domain."""
    user, _, domain = email.partition("@")
    return Contact(email=email, user=user, domain=domain)


@worker_env.task
async def summarize(contacts: list[Contact]) -> dict[str, int]:
    """Number of contacts per domain."""
    counts: dict[str, int] = {}
    for contact in contacts:
        counts[contact.domain] = counts.get(contact.domain, 0) + 1
    return counts
