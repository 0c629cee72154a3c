"""Searches are stored as a category, never as text, and no logged address keeps its query string.

Until now a personal-data search stored `?q=<full name>` in the append-only log, so an erased person's
name stayed there for ever. This migration adds the category column and rewrites the existing entries.
The log refuses updates at the database level, so the triggers of 0001 are taken off for the rewrite and
put back, the same functions installing them, within this migration's transaction. On SQLite adding a
column rebuilds the table, which drops its triggers: the same bracket puts them back.
"""

from importlib import import_module
from urllib.parse import parse_qs

from django.db import migrations, models

from apps.audit.search import search_category

initial = import_module("apps.audit.migrations.0001_access_log")


def searches_to_categories(apps, schema_editor):
    AccessLogEntry = apps.get_model("audit", "AccessLogEntry")  # the plain manager: the triggers are off
    for entry in AccessLogEntry.objects.filter(path__contains="?").only("pk", "path", "search").iterator():
        path, _, query = entry.path.partition("?")
        # The text was only ever the search box's `q`; every other parameter is dropped with it.
        typed = parse_qs(query).get("q", [""])[0]
        AccessLogEntry.objects.filter(pk=entry.pk).update(path=path, search=entry.search or search_category(typed))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_access_log"),
    ]

    operations = [
        migrations.RunPython(initial.remove_triggers, initial.install_triggers),
        migrations.AddField(
            model_name="accesslogentry",
            name="search",
            field=models.CharField(
                blank=True,
                choices=[
                    ("name", "a name or a street"),
                    ("phone", "a phone number"),
                    ("email", "an e-mail address"),
                    ("address", "an address"),
                    ("tenancy", "a tenancy number"),
                    ("other", "something else"),
                ],
                max_length=10,
                verbose_name="searched for",
            ),
        ),
        # The old text cannot come back: going back keeps the categories and the short paths.
        migrations.RunPython(searches_to_categories, migrations.RunPython.noop),
        migrations.RunPython(initial.install_triggers, initial.remove_triggers),
    ]
