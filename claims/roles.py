"""The people who use the tracker, by what they may do.

Readers need no account. Analysts record; reviewers approve and reject;
administrators (superusers) may also delete. Groups are created by the
0002_roles migration.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

ANALYSTS = "Analysts"
REVIEWERS = "Reviewers"
SYSTEM_USERNAME = "system"

# (app label, model, actions). Neither group may delete: that is for administrators.
ANALYST_PERMISSIONS = [
    ("sources", "source", ["add", "change", "view"]),
    ("claims", "actor", ["add", "change", "view"]),
    ("claims", "proposition", ["add", "change", "view"]),
    ("claims", "claim", ["add", "change", "view"]),
    ("claims", "stance", ["add", "change", "view"]),
    ("claims", "question", ["add", "change", "view"]),
    ("claims", "answer", ["add", "change", "view"]),
    ("claims", "translation", ["add", "change", "view"]),
    ("claims", "statechange", ["view"]),
    ("claims", "fieldchange", ["view"]),
    ("claims", "revision", ["view"]),
]
REVIEWER_PERMISSIONS = [
    *ANALYST_PERMISSIONS,
    ("sources", "source", ["review"]),
    ("claims", "actor", ["review"]),
    ("claims", "proposition", ["review"]),
    ("claims", "claim", ["review"]),
    ("claims", "stance", ["review"]),
    ("claims", "question", ["review"]),
    ("claims", "answer", ["review"]),
    ("claims", "translation", ["review"]),
    ("claims", "revision", ["review"]),
]
ROLE_PERMISSIONS = {ANALYSTS: ANALYST_PERMISSIONS, REVIEWERS: REVIEWER_PERMISSIONS}


def grant_role_permissions(group_model, permission_model) -> None:
    """Create the role groups and give them exactly their permissions.

    Takes the model classes so the roles migration can pass its historical
    models; everywhere else, use ensure_roles().
    """
    for name, spec in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        wanted = [(app_label, f"{action}_{model}") for app_label, model, actions in spec for action in actions]
        found = {
            (permission.content_type.app_label, permission.codename): permission
            for permission in permission_model.objects.filter(
                codename__in=[codename for _, codename in wanted]
            ).select_related("content_type")
        }
        # A migration that runs before a model exists cannot grant its permissions;
        # the migration that adds the model grants them again (claims 0004).
        group.permissions.set([found[key] for key in wanted if key in found])


def ensure_roles() -> None:
    """Make sure the role groups exist (a flushed test database has none)."""
    from django.contrib.auth.models import Group, Permission

    if Group.objects.filter(name__in=ROLE_PERMISSIONS).count() < len(ROLE_PERMISSIONS):
        grant_role_permissions(Group, Permission)


def role_names(user) -> frozenset[str]:
    """The role groups ``user`` belongs to, read once per loaded user (one query per request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if not hasattr(user, "_role_names"):
        user._role_names = frozenset(user.groups.filter(name__in=ROLE_PERMISSIONS).values_list("name", flat=True))
    return user._role_names


def is_analyst(user) -> bool:
    """May work in the desk: analysts, reviewers and administrators."""
    if not user.is_active:
        return False
    return user.is_superuser or bool(role_names(user))


def is_reviewer(user) -> bool:
    """The one definition of a reviewer: an active superuser, or an active member of the Reviewers group.

    Reviewers open the review queue, see the Review links and the admin's
    approve and reject buttons. The role is the group, not a permission found
    on the account: the group holds the review permission on every kind of
    record (REVIEWER_PERMISSIONS), which the model methods check again for
    each record they approve or reject, so every reviewer may review every
    kind. Membership comes from role_names(), read once per request, so asking
    costs no query beyond is_analyst(). The admin's own rule still applies on
    top: only staff accounts enter it.
    """
    if not user.is_active:
        return False
    return user.is_superuser or REVIEWERS in role_names(user)


def system_account():
    """The account that records seed data and other automatic work. It cannot log in."""
    from django.contrib.auth.models import Group

    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "System", "last_name": "(automatic)", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not user.groups.filter(name=REVIEWERS).exists():
        ensure_roles()
        user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


# ---------------------------------------------------------------------------
# The logged-in account, kept between requests

# How long a logged-in account and its roles stay in the shared cache between requests (at most).
ACCOUNT_CACHE_SECONDS = 300


def _account_version_key(user_id) -> str:
    return f"account-version:{user_id}"


def account_version(user_id) -> str:
    """The token the account's cached copy is kept under; a new one (forget_account) makes the copy unreachable."""
    key = _account_version_key(user_id)
    version = cache.get(key)
    if version is None:
        version = secrets.token_hex(8)
        if not cache.add(key, version, None):
            version = cache.get(key) or version
    return version


def forget_account(user_id) -> None:
    """Every request from now on reads this account and its roles from the database again."""
    cache.set(_account_version_key(user_id), secrets.token_hex(8), None)


class CachedAccountBackend(ModelBackend):
    """Django's ModelBackend, with the logged-in account and its roles read from the shared cache.

    Each request of a logged-in user loads their account (Django checks the
    session against its password) and their roles (``role_names``): two
    queries on every page. Both are kept together in the shared cache, under a
    token of the account's (``account_version``), for ACCOUNT_CACHE_SECONDS at
    most. Any change to the account or to its groups draws a new token
    (``forget_account``, connected in ClaimsConfig.ready) when it is saved and
    again when its transaction commits, so a copy read before the commit is
    never found afterwards: a new password, a deactivation or a role taken away
    counts from the next request, as without the cache. Permissions
    (``has_perm``) are not kept: they are read per request as before.
    """

    def get_user(self, user_id):
        key = f"account:{user_id}:{account_version(user_id)}"
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            role_names(user)
            cache.set(key, user, ACCOUNT_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None


def _forget_now_and_on_commit(user_ids) -> None:
    ids = [user_id for user_id in user_ids if user_id is not None]
    for user_id in ids:
        forget_account(user_id)
    transaction.on_commit(lambda: [forget_account(user_id) for user_id in ids])


def _account_saved_or_deleted(sender, instance, **kwargs) -> None:
    _forget_now_and_on_commit([instance.pk])


def _account_groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not reverse:  # user.groups.add(…), .remove(…), .clear(): the instance is the account
        if action.startswith("post_"):
            _forget_now_and_on_commit([instance.pk])
    elif action == "pre_clear":  # group.user_set.clear(): its members, while they are still there
        _forget_now_and_on_commit(list(instance.user_set.values_list("pk", flat=True)))
    elif action in ("post_add", "post_remove"):  # group.user_set.add(…): the accounts are in pk_set
        _forget_now_and_on_commit(pk_set)


def connect_account_cache() -> None:
    User = get_user_model()
    post_save.connect(_account_saved_or_deleted, sender=User, dispatch_uid="forget-account-saved")
    post_delete.connect(_account_saved_or_deleted, sender=User, dispatch_uid="forget-account-deleted")
    m2m_changed.connect(_account_groups_changed, sender=User.groups.through, dispatch_uid="forget-account-groups")
