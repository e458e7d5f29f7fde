"""The shape of one decision: what was judged, the outcome, by which rule and source, on
which numbers, and what a reader must be told beside it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Verdict:
    """One decision of the chapter.

    ``subject``: what is judged (e.g. "SAT -> TRU -> LOY", "H3", "scalar", "alpha:INF");
    ``outcome``: a code the catalogue words in both languages (e.g. "indirect_only",
    "complementary", "supported", "met", "tolerated", "not_met", "accepted");
    ``rule``: the code of the rule (its wording and citation keys live in the catalogue);
    ``values``: the numbers the decision rests on (as the tables print them);
    ``caveats``: codes of what must be said beside the outcome (e.g. "suppression",
    "chisq_rejects", "poor_fit").

    Example:
        >>> v = Verdict("SAT -> TRU -> LOY", "indirect_only", "zhao2010",
        ...             {"indirect": 0.12, "direct.p": 0.31})
        >>> v.outcome, v.holds
        ('indirect_only', True)
    """

    subject: str
    outcome: str
    rule: str
    values: dict = field(default_factory=dict)
    caveats: tuple[str, ...] = ()

    #: outcomes that mean "the criterion is met / the effect exists"
    POSITIVE = frozenset(
        {"met", "good", "tolerated", "supported", "accepted", "indirect_only", "complementary",
         "competitive", "indirect", "partly_supported", "different"}
    )  # fmt: skip

    @property
    def holds(self) -> bool:
        return self.outcome in self.POSITIVE

    def to_dict(self) -> dict:
        """The verdict as plain values (for JSON)."""
        return {"subject": self.subject, "outcome": self.outcome, "rule": self.rule,
                "values": dict(self.values), "caveats": list(self.caveats)}  # fmt: skip
