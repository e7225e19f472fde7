"""Search documents also hold each word with diacritics without them (roster.models.searchable_text),
so PostgreSQL finds "Muller" and "Müller" alike, as SQLite's FTS5 does: recompute existing documents."""

from django.db import migrations

CHUNK = 2000


def recompute_documents(apps, schema_editor):
    # Derived data, built by the application's own function (nothing to do on an empty roster).
    from dividend.roster.models import Officer

    ids = list(Officer.objects.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), CHUNK):
        officers = Officer.objects.filter(id__in=ids[start:start + CHUNK]).select_related("pool", "rank") \
            .prefetch_related("skills__skill", "languages__language", "country_expertise", "thematic_expertise")
        changed = []
        for officer in officers:
            document = officer.build_search_document()
            if document != officer.search_document:
                officer.search_document = document
                changed.append(officer)
        Officer.objects.bulk_update(changed, ["search_document"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("roster", "0004_search_facts")]

    operations = [migrations.RunPython(recompute_documents, migrations.RunPython.noop)]
