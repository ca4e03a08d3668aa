"""What other apps may react to in review, without claims knowing about them (webhooks do).

Both are sent inside the transaction that makes the change, so a receiver that
acts on the outside world waits for the commit (``transaction.on_commit``): a
rolled-back approval then does nothing.
"""

from django.dispatch import Signal

# Sent by Reviewable.transition once the record's new state is saved, audited and
# its dependants (public counts) are up to date: sender is the record's model,
# ``record`` the record, ``change`` its StateChange (from_state, to_state, by, at).
state_changed = Signal()

# Sent when an approved proposition or question becomes a contradiction for the
# first time, as its became_contradiction_at is set: sender is the model,
# ``record`` the record.
became_contradiction = Signal()
