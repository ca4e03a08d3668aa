"""A source's text cut into runs, each covered by the same set of claims (sources.segments).

The annotate page renders each run as plain text or one ``<mark>``, so the
rendered characters are exactly the source text's characters (offsets map 1:1,
which desk.js relies on) and overlapping claims need no nested elements.
"""

from dataclasses import dataclass, field

from claims.models import ReviewState
from sources.segments import cut_at_boundaries

# When claims overlap, the run shows the state that needs attention first.
_STATE_PRIORITY = [ReviewState.REJECTED, ReviewState.DRAFT, ReviewState.PENDING, ReviewState.APPROVED]


@dataclass
class Run:
    text: str
    claims: list = field(default_factory=list)
    starts: list = field(default_factory=list)  # claims whose first character is here

    @property
    def state(self) -> str:
        states = {claim.state for claim in self.claims}
        return next((state for state in _STATE_PRIORITY if state in states), "")

    @property
    def overlaps(self) -> bool:
        return len(self.claims) > 1

    @property
    def claim_ids(self) -> str:
        return " ".join(str(claim.pk) for claim in self.claims)

    @property
    def label(self) -> str:
        return "; ".join(f"{claim.claimant.name} ({claim.get_state_display().lower()})" for claim in self.claims)


def highlight_runs(text: str, claims) -> list[Run]:
    """Split ``text`` at every claim boundary; ``claims`` need ``claimant`` loaded."""
    claims = [claim for claim in claims if 0 <= claim.start < claim.end <= len(text)]
    return [
        Run(
            text[run.start : run.end], list(run.covering), [claim for claim in run.covering if claim.start == run.start]
        )
        for run in cut_at_boundaries(0, len(text), claims)
    ]
