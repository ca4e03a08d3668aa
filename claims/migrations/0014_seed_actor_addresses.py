"""The seed's two actors whose slugs named a seed file ("000") get addresses of their own words.

Their old addresses keep working: each old slug is kept as a former slug
(claims.addresses), so /actors/source-000-author/ answers with a permanent
redirect to /actors/kabul-report-author/. A database where the new slug is
already taken, or without these actors, is left as it is.
"""

from django.db import migrations

RENAMED = {
    "source-000-author": "kabul-report-author",
    "unnamed-sources-000": "kabul-report-unnamed-sources",
}


def rename(apps, schema_editor):
    Actor = apps.get_model("claims", "Actor")
    FormerSlug = apps.get_model("claims", "FormerSlug")
    for old, new in RENAMED.items():
        actor = Actor.objects.filter(slug=old).first()
        if actor is None or Actor.objects.filter(slug=new).exists():
            continue
        Actor.objects.filter(pk=actor.pk).update(slug=new)
        FormerSlug.objects.get_or_create(kind="actor", slug=old, defaults={"record_id": actor.pk})


def restore(apps, schema_editor):
    Actor = apps.get_model("claims", "Actor")
    FormerSlug = apps.get_model("claims", "FormerSlug")
    for old, new in RENAMED.items():
        former = FormerSlug.objects.filter(kind="actor", slug=old).first()
        if former is None or Actor.objects.filter(slug=old).exists():
            continue
        Actor.objects.filter(pk=former.record_id, slug=new).update(slug=old)
        former.delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0013_former_slugs")]

    operations = [migrations.RunPython(rename, restore)]
