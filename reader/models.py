"""What the public pages keep beside the reviewed records: the changes of position readers browse.

``PositionChange`` is derived data. reader.positions writes it, in the same
transaction as the review action that changes what it is derived from, and
readers see it only through ``PositionChange.objects.public()``.
"""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from claims.models import Actor, Proposition, ReviewState, Stance


class PositionChangeQuerySet(models.QuerySet):
    def public(self):
        """Changes whose records are all approved, newest first (by the date of the later claim).

        The table holds public changes only (reader.positions keeps it so); the
        states are checked again here, so that nothing unapproved is ever shown
        even if the table has not caught up with a change made without save().
        Each check is a lookup by primary key for the row at hand: with the
        states in joined conditions, SQLite (without statistics) would walk
        every approved stance instead of the few changes.
        """
        approved = ReviewState.APPROVED

        def is_public_stance(field: str) -> Exists:
            return Exists(Stance.objects.filter(pk=OuterRef(field), state=approved, claim__state=approved))

        return (
            self.filter(
                Exists(Actor.objects.filter(pk=OuterRef("actor"), state=approved)),
                Exists(Proposition.objects.filter(pk=OuterRef("proposition"), state=approved)),
                is_public_stance("earlier"),
                is_public_stance("later"),
            )
            .select_related(
                "actor",
                "proposition",
                "earlier__claim__source",
                "earlier__claim__reported_by",
                "later__claim__source",
                "later__claim__reported_by",
            )
            .defer("earlier__claim__source__text", "later__claim__source__text")
            .order_by("-changed_on", "-found_at", "-pk")
        )


class PositionChange(models.Model):
    """An actor's public claims take one side of a proposition, and a later one the other (reader.positions).

    ``earlier`` is the last stance on the old side, ``later`` the first on the new one.
    """

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+", verbose_name=_("actor"))
    proposition = models.ForeignKey(
        Proposition, on_delete=models.CASCADE, related_name="+", verbose_name=_("proposition")
    )
    earlier = models.ForeignKey(
        Stance, on_delete=models.CASCADE, related_name="+", verbose_name=_("last stance on the old side")
    )
    later = models.ForeignKey(
        Stance, on_delete=models.CASCADE, related_name="+", verbose_name=_("first stance on the new side")
    )
    # The later claim's asserted date (the first day it allows): the order of /changes/.
    changed_on = models.DateField(_("changed on"))
    # When the change became public: the feed's date for it.
    found_at = models.DateTimeField(_("found at"))

    objects = PositionChangeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["earlier", "later"], name="position_change_unique"),
            models.CheckConstraint(condition=~Q(earlier=F("later")), name="position_change_two_stances"),
        ]
        # Ascending: read backwards, each gives its order with the id last (newest first, ties by
        # id descending) without sorting.
        indexes = [
            # /changes/: every change, newest first.
            models.Index(fields=["changed_on", "found_at"], name="position_change_date_idx"),
            # /changes/?actor=: one actor's changes, newest first.
            models.Index(fields=["actor", "changed_on", "found_at"], name="position_change_actor_idx"),
            # Refreshing after a review action: the changes on one proposition.
            models.Index(fields=["proposition", "actor"], name="position_change_refresh_idx"),
            # The feed: changes as they became public.
            models.Index(fields=["found_at"], name="position_change_found_idx"),
        ]

    def __str__(self):
        return f"{self.actor_id}: {self.earlier_id} → {self.later_id} on {self.proposition_id}"

    def get_absolute_url(self):
        return f"{reverse('reader:actor', args=[self.actor.slug])}#changes"
