"""The people who use the tracker, by what they may do.

Readers need no account. Analysts record; reviewers approve and reject;
administrators (superusers) may also delete. Groups are created by the
0002_roles migration.
"""

from django.contrib.auth import get_user_model

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
