"""Grant the roles their permissions on history and revisions (see claims.roles).

Analysts and Reviewers may view field history and revisions; Reviewers also
review revisions. Nobody gets add, change or delete on them: history is
written by the model layer only, and revisions are proposed by editing an
approved record.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from claims.roles import grant_role_permissions


def grant(apps, schema_editor):
    app_config = apps.get_app_config("claims")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    grant_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0003_field_changes_and_revisions"),
        ("claims", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
