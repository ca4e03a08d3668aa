"""Names and titles saved before bidi controls were stripped on save lose them now (see VersionedModel.NAME_FIELDS).

Quotes and source texts are evidence and keep every character.
"""

from functools import reduce
from operator import or_

from django.db import migrations
from django.db.models import Q

from sources.text import BIDI_CONTROLS, strip_bidi_controls

# The characters BIDI_CONTROLS matches: U+202A–U+202E and U+2066–U+2069.
CONTROLS = [chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
NAME_FIELDS = {
    ("claims", "Actor"): ("name", "aliases"),
    ("claims", "Proposition"): ("statement",),
    ("claims", "Claim"): ("paraphrase",),
    ("sources", "Source"): ("title", "outlet", "authors"),
}


def strip_names(apps, schema_editor):
    assert all(BIDI_CONTROLS.fullmatch(control) for control in CONTROLS)
    for (app_label, model_name), fields in NAME_FIELDS.items():
        model = apps.get_model(app_label, model_name)
        holding = reduce(or_, (Q(**{f"{field}__contains": control}) for field in fields for control in CONTROLS))
        for record in model.objects.filter(holding).only("pk", *fields).iterator():
            for field in fields:
                setattr(record, field, strip_bidi_controls(getattr(record, field)))
            record.save(update_fields=list(fields))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_markdown_length"),
        ("sources", "0003_source_review"),
    ]

    operations = [migrations.RunPython(strip_names, migrations.RunPython.noop)]
